"""Oscar's search facets; the product search keeps its Whoosh answers (`shop.search.kept`).

Oscar loads `base_sqs` from here (`get_class("search.facets", "base_sqs")`) and the rest
(`FacetMunger`) from its own module.
"""

from django.conf import settings
from haystack.query import SearchQuerySet

from shop.search.kept import KeptWhooshQuery


def base_sqs():
    """Return Oscar's base SearchQuerySet (its facets, public products) on the kept query."""
    sqs = SearchQuerySet(query=KeptWhooshQuery())
    for facet in settings.OSCAR_SEARCH_FACETS["fields"].values():
        sqs = sqs.facet(facet["field"], **facet.get("options", {}))
    for facet in settings.OSCAR_SEARCH_FACETS["queries"].values():
        for query in facet["queries"]:
            sqs = sqs.query_facet(facet["field"], query[1])
    return sqs.filter_and(is_public="true", structure__in=["standalone", "parent"])
