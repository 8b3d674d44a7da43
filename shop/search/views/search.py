"""Oscar's search, whose results page also lists the clinic's conditions and articles."""

from oscar.apps.search.views import search as oscar_search

from shop.search.kept import kept_content_search
from shop.search.selectors import search_suggestions
from shop.search.views.catalogue import PageProductsMixin


class FacetedSearchView(PageProductsMixin, oscar_search.FacetedSearchView):
    """Search products, conditions and articles; a page of products loads in fixed queries.

    A search that finds nothing suggests the closest product names and the conditions.
    """

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        query = self.request.GET.get("q", "")
        found = kept_content_search(query)
        context["content_results"] = found
        paginator = context.get("paginator")
        nothing = not getattr(paginator, "count", 0) and not any(found.values())
        if nothing and query.strip():
            context["suggestions"] = search_suggestions(query=query)
        return context
