"""Oscar's search, whose results page also lists the clinic's conditions and articles."""

from oscar.apps.search.views import search as oscar_search
from oscar.core.loading import get_model

from shop.catalogue.selectors import products_listable
from shop.search.kept import kept_content_search
from shop.search.selectors import search_suggestions
from shop.search.views.catalogue import ListedProduct, PageProductsMixin

Product = get_model("catalogue", "Product")


class LazyPageCards:
    """A page of search results' products, loaded (in one go) only when the cards render.

    The page's cards are kept as a fragment by their product ids
    (`oscar/search/results.html`): on a hit the products are never loaded.
    """

    def __init__(self, results) -> None:
        self.ids = [int(r.pk) for r in results if getattr(r, "model_name", None) == "product"]
        self._cards = None

    def __iter__(self):
        if self._cards is None:
            found = {p.pk: p for p in products_listable(Product.objects.filter(pk__in=self.ids))}
            self._cards = [ListedProduct(found[pk]) for pk in self.ids if pk in found]
        return iter(self._cards)

    def __bool__(self) -> bool:
        return bool(self.ids)

    @property
    def key(self) -> str:
        return ",".join(map(str, self.ids))


class FacetedSearchView(PageProductsMixin, oscar_search.FacetedSearchView):
    """Search products, conditions and articles; a page's cards are kept by its products.

    A search that finds nothing suggests the closest product names and the conditions.
    """

    attach_page_products = False  # the cards load their products lazily (LazyPageCards)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["page_cards"] = LazyPageCards(context["page_obj"].object_list)
        query = self.request.GET.get("q", "")
        found = kept_content_search(query)
        context["content_results"] = found
        paginator = context.get("paginator")
        nothing = not getattr(paginator, "count", 0) and not any(found.values())
        if nothing and query.strip():
            context["suggestions"] = search_suggestions(query=query)
        return context
