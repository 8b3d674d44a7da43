"""The basket page's content (lines, formset, totals, offers, vouchers), kept per basket.

A shopper looks at an unchanged basket again and again (after each product page, before
the checkout). Its content is rendered once and kept in Redis per basket (`b<id>`, from
Oscar's signed cookie: no query to find it) or per signed-in patient (`u<id>`: their open
basket and their saved-for-later list), stamped with the two numbers the header's basket
summary reads (`shop/core/basket_summary.py`):

- the basket's version, bumped (now and after commit) by any save or delete of the
  patient's or cookie's baskets, their lines and their options, and any voucher added or
  removed: quantities, removed lines, vouchers, saved-for-later lines, a merge at
  sign-in, a basket frozen by the checkout;
- the page cache's generation, bumped by prices, stock, offers, vouchers and the
  catalogue.

The stamp is read before the basket is loaded, so content rendered from rows another
request was changing is kept under a stamp that is already stale, and never shown. A
repeated view of an unchanged basket runs no SQL query: one Redis read for the content
(with the generation and the version), then the header's as on every page (its summary,
the menu's categories). The CSRF fields are
kept blank and each response puts its visitor's own token in. The content is rendered
live for a POST (form errors: never kept), a request with messages waiting, a patient
signing in with a cookie basket (Oscar's merge: not kept) and a request without a basket.
The settings the content shows (currency, GST, shipping, language) are in the key, and
an entry lives `KEPT_TIMEOUT` at most, as the header's summary (offers that start or end
by the clock).
"""

import hashlib
from dataclasses import dataclass
from functools import cache as memoise

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import mark_safe

from shop.core.basket_summary import (
    SUMMARY_TIMEOUT,
    basket_scope,
    basket_version,
    basket_version_key,
)
from shop.core.pagecache import GENERATION_KEY, csrf_blank, csrf_filled

KEPT_TIMEOUT = SUMMARY_TIMEOUT
CONTENT_SETTINGS = (
    "OSCAR_DEFAULT_CURRENCY",
    "OSCAR_CURRENCY_FORMAT",
    "OSCAR_OFFERS_INCL_TAX",
    "SHOP_GST_REGISTERED",
    "SHOP_GST_RATE",
    "SHOP_SHIPPING_FLAT_RATE",
    "SHOP_FREE_SHIPPING_THRESHOLD",
    "PAGECACHE_VERSION",
)


@dataclass(frozen=True)
class KeptContent:
    scope: str
    key: str
    stamp: tuple
    html: str | None  # with blank CSRF slots; None: nothing kept for this stamp


@memoise
def _settings_digest() -> str:
    values = repr([getattr(settings, name, None) for name in CONTENT_SETTINGS])
    return hashlib.sha256(values.encode()).hexdigest()[:12]


def _content_key(scope: str) -> str:
    return f"basket-page:{_settings_digest()}:{translation.get_language()}:{scope}"


def basket_content_read(request) -> KeptContent | None:
    """Return the stamp (and the kept content, if fresh) of the request's basket page.

    None when the page must be rendered by Oscar and not kept: not a GET, no basket in
    the cookie nor a signed-in patient, a cookie basket to merge at sign-in.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    scope = basket_scope(request)
    if scope is None:
        return None
    key, version_key = _content_key(scope), basket_version_key(scope)
    found = cache.get_many([GENERATION_KEY, version_key, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:  # nothing kept anywhere yet; the page renders and makes one
        return None
    stamp = (int(generation), basket_version(found, version_key))
    kept = found.get(key)
    fresh = kept is not None and kept[0] == stamp and not len(get_messages(request))
    return KeptContent(scope=scope, key=key, stamp=stamp, html=kept[1] if fresh else None)


def _shows_scope(kept: KeptContent, request) -> bool:
    """Return whether the loaded basket is the one the scope names (not one Oscar made)."""
    basket = request.basket
    if kept.scope.startswith("u"):
        return basket.id is not None and basket.owner_id == request.user.pk
    return basket.id is not None and f"b{basket.id}" == kept.scope


def basket_content_keep(kept: KeptContent, request, html: str) -> None:
    """Keep the content rendered for this request under the stamp read before it loaded."""
    if not _shows_scope(kept, request):
        return
    cache.set(kept.key, (kept.stamp, csrf_blank(html)), KEPT_TIMEOUT)


def basket_content_for(request, html: str) -> str:
    """Return kept content with the request's own CSRF token in its forms."""
    html = csrf_filled(html, get_token(request))
    return mark_safe(html)  # noqa: S308  (rendered by the template engine, escaped there)
