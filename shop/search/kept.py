"""Search results kept in Redis under the page cache's generation.

A popular query ("knee") is searched over and over, and each search ran Whoosh twice
(Oscar's paginator asks for the count with a one-result search, then the page) plus
once for the conditions and articles: about half the page's CPU. Here:

- `KeptWhooshQuery` (the product search's query class, from `base_sqs`) keeps what
  Whoosh answered for a query string and its offsets in Redis, stored with the page
  cache's generation and read with it in one `get_many`: any edit the page cache
  watches (a product's title, its stock, a category, an offer...) bumps the generation,
  so the next search asks Whoosh again (the index is updated on save, before the
  generation's bump after commit). A count (a one-result search) and a first page
  shorter than a page are answered from the first page's answer, so a first page costs
  one Whoosh search; a request reads each answer once (shared by the query's clones).
- `kept_content_search` keeps the conditions and articles a query found the same way.

Entries live `SEARCH_KEPT_TIMEOUT` seconds at most (an article published by the clock
shows within that time, as in the kept fragments).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from haystack.backends.whoosh_backend import WhooshSearchQuery

from shop.core.pagecache import GENERATION_KEY, pagecache_generation

SEARCH_KEPT_TIMEOUT = 600


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def kept_or_computed(key: str, compute):
    """Return the value kept under `key` for the current generation, else compute and keep it."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = pagecache_generation()
    kept = found.get(key)
    if kept is not None and kept[0] == int(generation):
        return kept[1]
    value = compute()
    cache.set(key, (int(generation), value), SEARCH_KEPT_TIMEOUT)
    return value


class KeptWhooshQuery(WhooshSearchQuery):
    """Oscar's product search, its Whoosh answers kept by query string and offsets."""

    def __init__(self, using="default"):
        super().__init__(using=using)
        self._answers = {}  # this request's answers, shared by the query's clones

    def _clone(self, klass=None, using=None):
        clone = super()._clone(klass=klass, using=using)
        if isinstance(clone, KeptWhooshQuery):
            clone._answers = self._answers
        return clone

    def run(self, spelling_query=None, **kwargs):
        final_query = self.build_query()
        search_kwargs = self.build_params(spelling_query=spelling_query)
        search_kwargs.update(kwargs)
        wanted = None
        first_page = settings.OSCAR_PRODUCTS_PER_PAGE
        end = search_kwargs.get("end_offset")
        if not search_kwargs.get("start_offset") and end is not None and end < first_page:
            # A count, or a first page shorter than a page: the first page's answer, sliced.
            wanted, search_kwargs["end_offset"] = end, first_page
        models = sorted(model._meta.label_lower for model in search_kwargs.get("models", ()))
        params = sorted((k, repr(v)) for k, v in search_kwargs.items() if k != "models")
        key = "search-kept:" + _digest(final_query, models, params)
        results = self._answers.get(key)
        if results is None:
            results = kept_or_computed(
                key, lambda: self.backend.search(final_query, **search_kwargs)
            )
            self._answers[key] = results
        self._results = results.get("results", [])[:wanted]
        self._hit_count = results.get("hits", 0)
        self._facet_counts = self.post_process_facets(results)
        self._spelling_suggestion = results.get("spelling_suggestion", None)


def kept_content_search(query: str) -> dict:
    """Return the conditions and articles a search finds (`content_search`), kept."""
    from shop.content.selectors import content_search

    normalised = " ".join((query or "").split())
    if not normalised:
        return content_search(query=normalised)
    key = "search-kept-content:" + _digest(normalised)
    return kept_or_computed(key, lambda: content_search(query=normalised))
