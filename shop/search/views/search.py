"""Oscar's search, whose results page also lists the clinic's conditions and articles."""

from oscar.apps.search.views import search as oscar_search

from shop.content.selectors import content_search
from shop.search.views.catalogue import PageProductsMixin


class FacetedSearchView(PageProductsMixin, oscar_search.FacetedSearchView):
    """Search products, conditions and articles; a page of products loads in fixed queries."""

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["content_results"] = content_search(query=self.request.GET.get("q", ""))
        return context
