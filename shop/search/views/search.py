"""Oscar's search, whose results page also lists the clinic's conditions and articles."""

from oscar.apps.search.views.search import FacetedSearchView as OscarFacetedSearchView

from shop.content.selectors import content_search


class FacetedSearchView(OscarFacetedSearchView):
    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["content_results"] = content_search(query=self.request.GET.get("q", ""))
        return context
