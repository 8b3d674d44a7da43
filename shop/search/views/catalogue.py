"""The catalogue's listing views, loading a page of products in a fixed number of queries.

Oscar's views load each search result's product on its own (about six queries
a card); here the products of a page are loaded together with what their
cards need.
"""

from oscar.apps.search.views import catalogue as oscar_catalogue
from oscar.core.loading import get_model

from shop.catalogue.selectors import products_listable

Product = get_model("catalogue", "Product")


def attach_products(results) -> None:
    """Give each search result of a page its product, loaded in one go with its card's data."""
    results = [r for r in results if getattr(r, "model_name", None) == "product"]
    if not results:
        return
    products = {
        p.pk: p for p in products_listable(Product.objects.filter(pk__in=[r.pk for r in results]))
    }
    for result in results:
        result._object = products.get(int(result.pk))


class PageProductsMixin:
    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        attach_products(context["page_obj"].object_list)
        return context


class CatalogueView(PageProductsMixin, oscar_catalogue.CatalogueView):
    """Browse all products."""


class ProductCategoryView(PageProductsMixin, oscar_catalogue.ProductCategoryView):
    """Browse the products of a category."""
