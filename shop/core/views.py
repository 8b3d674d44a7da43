from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView

from shop.catalogue.selectors import categories_top, products_featured
from shop.content.selectors import conditions_for_home


class HomeView(TemplateView):
    """Show the clinic's home page with its featured treatments and products."""

    template_name = "shop/home.html"

    def get_context_data(self, **kwargs):
        # Loaded only when the template reads them: the page's body is kept as a fragment.
        context = super().get_context_data(**kwargs)
        context["featured_products"] = SimpleLazyObject(products_featured)
        context["top_categories"] = SimpleLazyObject(categories_top)
        context["home_conditions"] = SimpleLazyObject(conditions_for_home)
        return context
