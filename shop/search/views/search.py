from oscar.apps.search.views import search as oscar_search

from shop.search.views.catalogue import PageProductsMixin


class FacetedSearchView(PageProductsMixin, oscar_search.FacetedSearchView):
    """Search products, loading a page of results in a fixed number of queries."""
