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
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject, empty

from shop.core.basket_summary import (
    SUMMARY_TIMEOUT,
    basket_scope,
    basket_version,
    basket_version_key,
)
from shop.core.pagecache import GENERATION_KEY, pagecache_generation

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
