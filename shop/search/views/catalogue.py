"""The catalogue's listing views, loading a page of products in a fixed number of queries.

Oscar's views load each search result's product on its own (about six queries
a card) and list the catalogue through the search engine even when nothing is
searched (two Whoosh searches a page). Here a listing without a query, facet or
search-only sort order is read from PostgreSQL (a count and one page of products
with their cards' data); a search's page of products is loaded together, once.
"""

from django.utils.translation import gettext_lazy as _
from django.views.generic.list import MultipleObjectMixin
from oscar.apps.search.views import catalogue as oscar_catalogue
from oscar.core.loading import get_model

from shop.catalogue.selectors import products_listable

Product = get_model("catalogue", "Product")

# The sort orders PostgreSQL can give as the search engine does; the others go to Whoosh.
# Without a query Whoosh lists in the order products were indexed: oldest first.
DB_ORDERINGS = {
    "": ("date_created", "pk"),
    "relevancy": ("date_created", "pk"),
    "newest": ("-date_created", "-pk"),
    "title-asc": ("title", "pk"),
    "title-desc": ("-title", "-pk"),
}

Category = get_model("catalogue", "Category")


class ListedProduct:
    """What the listing templates read of a search result: its product (`.object`)."""

    __slots__ = ("object", "pk")
    model_name = "product"

    def __init__(self, product) -> None:
        self.object = product
        self.pk = product.pk


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


class LazyListedPage:
    """A page's products as the listing template reads them, loaded only when iterated.

    Its truth comes from the paginator's count, so `{% if products %}` runs no query: a
    page whose cards are kept as a fragment (`oscar/catalogue/browse.html`) never loads
    its products.
    """

    def __init__(self, page) -> None:
        self._page = page
        self._listed = None

    def _items(self) -> list:
        if self._listed is None:
            self._listed = [ListedProduct(product) for product in self._page.object_list]
        return self._listed

    def __bool__(self) -> bool:
        return self._page.paginator.count > 0 and self._page.start_index() > 0

    def __iter__(self):
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


class PageProductsMixin:
    """Load the products of a page of results once, with their cards' data.

    Haystack's `load_all` would load them too (twice, through Oscar's index's
    read_queryset), only to be replaced: it is off.
    """

    load_all = False
    attach_page_products = True

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if self.attach_page_products:
            attach_products(context["page_obj"].object_list)
        return context


class DatabaseListingMixin(PageProductsMixin):
    """List from PostgreSQL when the request searches nothing (no query, no facet)."""

    def listing_queryset(self):
        return Product.objects.all()

    def _db_ordering(self, form) -> tuple | None:
        data = form.cleaned_data
        if (data.get("q") or "").strip() or form.selected_facets:
            return None
        return DB_ORDERINGS.get(data.get("sort_by") or "")

    def form_valid(self, form):
        ordering = self._db_ordering(form)
        if ordering is None:
            return super().form_valid(form)
        products = products_listable(self.listing_queryset()).order_by(*ordering)
        context = MultipleObjectMixin.get_context_data(
            self, object_list=products, **{self.form_name: form, "query": ""}
        )
        page = context["page_obj"]
        context.update(
            {
                "products": LazyListedPage(page),
                # The cards' fragment key: what the listing depends on, never the raw query.
                "listing_key": f"{self.request.path}|{'.'.join(ordering)}|{page.number}",
                "page": page,
                "facet_data": {},
                "has_facets": False,
                "selected_facets": form.selected_facets,
                **self.listing_context(),
            }
        )
        return self.render_to_response(context)

    def listing_context(self) -> dict:
        return {}


class CatalogueView(DatabaseListingMixin, oscar_catalogue.CatalogueView):
    """Browse all products."""

    def listing_context(self) -> dict:
        return {"summary": _("All products")}


class ProductCategoryView(DatabaseListingMixin, oscar_catalogue.ProductCategoryView):
    """Browse the products of a category (and of its subcategories)."""

    def listing_queryset(self):
        categories = Category.objects.get_tree(self.category)  # treebeard's manager API
        return Product.objects.filter(categories__in=categories).distinct()

    def listing_context(self) -> dict:
        return {"category": self.category}
