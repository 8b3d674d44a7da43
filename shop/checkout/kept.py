"""The checkout's basket checks ("not empty", "valid"), kept per basket under its stamp.

Every checkout page asks Oscar's preconditions first: the basket is not empty, and
every line can still be bought (its product public, in stock for its quantity). For
that Oscar loads the basket, its lines, their products' stock records, images and
values, the vouchers and the offers, and applies them: eleven queries on the gateway,
which shows none of it. When a basket passes both checks, the facts the steps read of
it (its id, whether it is delivered, whether it holds a treatment) are kept in Redis
per basket (`b<id>`, from Oscar's signed cookie) or per signed-in patient (`u<id>`),
stamped with the same two numbers as the basket page's kept content
(`shop/basket/kept.py`):

- the basket's version, bumped (now and after commit) by any save or delete of the
  basket, its lines and their options, any voucher added or removed, and the checkout
  freezing the basket for a payment;
- the page cache's generation, bumped by prices, stock (Oscar's allocation too), offers,
  vouchers and the catalogue (a product taken off the shop).

The stamp is read before the basket is loaded, so checks made on rows another request
was changing are kept under a stamp already stale and never used. A fresh record
answers the two checks of a GET; with none (or a stale one) Oscar's checks run and, if
they pass, keep one. Only a passing basket is kept: an empty or unavailable one always
gets Oscar's redirect and messages. The pay views never read a record: a payment and
its order are built from the basket in the database.

The address and payment pages' content is kept the same way, under the same stamp and a
digest of the checkout session and of what else the page shows (the address book):
a repeated view renders only the frame around it.
"""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject, empty
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from oscar.core.loading import get_class

from shop.core.basket_summary import (
    SUMMARY_TIMEOUT,
    basket_scope,
    basket_version,
    basket_version_key,
)
from shop.core.pagecache import GENERATION_KEY, csrf_blank, csrf_filled, pagecache_generation

CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")

RECORD_TIMEOUT = SUMMARY_TIMEOUT


@dataclass(frozen=True)
class CheckoutRecord:
    scope: str
    key: str
    stamp: tuple
    keepable: bool  # False when the basket was loaded before the stamp was read
    facts: dict | None  # None: nothing fresh kept for this stamp


def _loaded(basket) -> bool:
    return not isinstance(basket, SimpleLazyObject) or basket._wrapped is not empty


def _record_key(scope: str) -> str:
    return f"checkout-basket:{getattr(settings, 'PAGECACHE_VERSION', '')}:{scope}"


def checkout_record_read(request) -> CheckoutRecord | None:
    """Return the stamp of the request's basket and its kept checks, if fresh.

    None when Oscar's checks must run and nothing be kept: not a GET, no basket in the
    cookie nor a signed-in patient, a cookie basket to merge at sign-in.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    scope = basket_scope(request)
    if scope is None:
        return None
    key, version_key = _record_key(scope), basket_version_key(scope)
    keepable = not _loaded(request.basket)
    found = cache.get_many([GENERATION_KEY, version_key, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = pagecache_generation()
    stamp = (int(generation), basket_version(found, version_key))
    kept = found.get(key)
    facts = kept[1] if kept is not None and kept[0] == stamp else None
    return CheckoutRecord(scope=scope, key=key, stamp=stamp, keepable=keepable, facts=facts)


def _is_scoped_basket(record: CheckoutRecord, request) -> bool:
    """Return whether the loaded basket is the one the scope names (not one Oscar made)."""
    basket = request.basket
    if basket.id is None or basket.status != basket.OPEN:
        return False
    if record.scope.startswith("u"):
        return basket.owner_id == request.user.pk
    return f"b{basket.id}" == record.scope


def checkout_record_keep(record: CheckoutRecord, request, facts: dict) -> None:
    """Keep the facts of a basket that passed Oscar's checks, under the stamp read first."""
    if not record.keepable or not _is_scoped_basket(record, request):
        return
    cache.set(record.key, (record.stamp, facts), RECORD_TIMEOUT)


# A checkout page's content (the payment page's order, delivery, totals and pay form; the
# address page's form and address book), kept as the basket page's is: per basket scope,
# under the record's stamp and a digest of what else it shows (the checkout session:
# address, delivery method, email, patient; the settings; what the view adds).
CONTENT_START, CONTENT_END = "<!--kept:checkout-->", "<!--/kept:checkout-->"


@dataclass(frozen=True)
class KeptContent:
    record: CheckoutRecord
    key: str
    digest: str
    html: str | None  # with blank CSRF slots; None: nothing fresh kept
    values: dict  # what the view puts in the context besides (the total in cents)


def _digest(request, shown: list) -> str:
    from shop.basket.kept import CONTENT_SETTINGS

    # Oscar's reads add empty namespaces to the session without saving them: not shown.
    session = request.session.get(CheckoutSessionData.SESSION_KEY) or {}
    session = {namespace: data for namespace, data in session.items() if data}
    settings_shown = [getattr(settings, name, None) for name in CONTENT_SETTINGS]
    parts = json.dumps([session, settings_shown, shown], sort_keys=True, default=str)
    return hashlib.sha256(parts.encode()).hexdigest()


def checkout_content_read(request, record: CheckoutRecord | None, page: str, shown: list):
    """Return the kept content of a checkout page for this basket and checkout, if fresh.

    None when the page is rendered and not kept: no checkout record (not a GET, no basket
    scope), or a delivery to an address-book entry (edited without touching the basket).
    `shown` is what the page shows besides the basket and the checkout session.
    """
    if record is None:
        return None
    session = request.session.get(CheckoutSessionData.SESSION_KEY) or {}
    if (session.get("shipping") or {}).get("user_address_id"):
        return None
    version = getattr(settings, "PAGECACHE_VERSION", "")
    key = f"checkout-{page}:{version}:{get_language()}:{record.scope}"
    digest = _digest(request, shown)
    kept = cache.get(key) if record.facts is not None else None
    fresh = kept is not None and kept[0] == record.stamp and kept[1] == digest
    html, values = (kept[2], kept[3]) if fresh else (None, {})
    return KeptContent(record=record, key=key, digest=digest, html=html, values=values)


def checkout_content_keep(kept: KeptContent, request, page: str, values: dict) -> None:
    """Keep the content of a page rendered from the basket, under the stamp read first."""
    start, end = page.find(CONTENT_START), page.find(CONTENT_END)
    record = kept.record
    if start < 0 or end < start or not record.keepable or not _is_scoped_basket(record, request):
        return
    html = csrf_blank(page[start + len(CONTENT_START) : end])
    cache.set(kept.key, (record.stamp, kept.digest, html, values), RECORD_TIMEOUT)


def checkout_content_for(request, html: str) -> str:
    """Return kept content with the request's own CSRF token in its forms."""
    return mark_safe(csrf_filled(html, get_token(request)))  # noqa: S308  (rendered, escaped)
