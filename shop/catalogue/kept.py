"""A shopper's product page, kept in Redis in two entries under the page cache's generation.

For a shopper without an account the page is the same for all but the header's basket
summary, the CSRF tokens and the back button: a product page of theirs is made of

- the product's **record** (by product id): the path it lives at (a wrong slug
  redirects to it), whether it may be shown to a shopper (else 404), the templates to
  render and the parts of the page outside its body (title, meta and og tags, the
  breadcrumbs), as rendered HTML;
- the page's **body** (by product id, the recently viewed products, the GST mode and
  whether it is a signed-in patient's): gallery, packages, description, linked content,
  reviews, recently viewed; in a patient's, their own parts are rendered for each.

Both are read with the generation in one round trip (`get_many`) and used only when
they were made in the current generation, so any edit the page cache watches (a price,
stock, a title, an image, a slug, `is_public`, the categories) shows at once. A hit
loads no product: the view answers from the two entries. CSRF tokens are kept blank
and each response puts its visitor's own token back.
"""

import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from oscar.core.loading import get_class

from shop.core.pagecache import GENERATION_KEY, pagecache_generation

TIMEOUT = 600


@dataclass
class KeptPage:
    """What the cache holds for a product page, current or not."""

    generation: int
    record_key: str
    body_key: str
    record: dict | None
    body: str | None


@functools.cache
def _history():
    return get_class("customer.history", "CustomerHistoryManager")


def history_ids(request, product_id: int) -> str:
    """Return the recently viewed products' ids of the request but this one ("3,12,7")."""
    history = _history()
    return ",".join(str(pk) for pk in history.extract(request) if pk != product_id)


def product_page_read(request, *, product_id: int, patient: bool = False) -> KeptPage:
    """Return the product's kept record and body that belong to the current generation.

    A signed-in patient's body is another entry: its own parts are markers (the patient
    parts, rendered for each patient), where a shopper's hold what every shopper sees.
    """
    history = history_ids(request, product_id)
    parts = f"{product_id}:{settings.SHOP_GST_REGISTERED}:{history}:{'p' if patient else 's'}"
    record_key = f"product-page:record:{product_id}"
    body_key = f"product-page:body:{hashlib.sha256(parts.encode()).hexdigest()[:24]}"
    found = cache.get_many([GENERATION_KEY, record_key, body_key])
    generation = found.get(GENERATION_KEY)
    generation = pagecache_generation() if generation is None else int(generation)
    request._fragment_generation = generation  # the page's other fragments read it, saved

    def current(entry):
        return entry[1] if entry is not None and entry[0] == generation else None

    return KeptPage(
        generation,
        record_key,
        body_key,
        current(found.get(record_key)),
        current(found.get(body_key)),
    )


def product_page_keep(kept: KeptPage, *, record: dict, body: str | None = None) -> None:
    """Keep the record (and the body) under the generation read before the product was."""
    entries = {kept.record_key: (kept.generation, record)}
    if body is not None:
        entries[kept.body_key] = (kept.generation, body)
    cache.set_many(entries, TIMEOUT)
