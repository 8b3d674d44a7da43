"""The header's basket summary (items and total), kept in Redis for a shopper's next pages.

Oscar's BasketMiddleware loads the basket lazily, but every page's header asks for
its count and total, and that loads the basket, its lines, the vouchers and the
offers and applies them: six queries and the offers' Python on every page of a
shopper. The summary (number of items, total with offers, currency) is kept per
basket (`b<id>`, from the signed cookie) or per signed-in patient (`u<id>`), in one
entry holding the page cache's generation and the basket's version it was made
from; it is read in one round trip (`get_many`: generation, version, summary, with the
menu's keys: `shop/core/frame.py`) and
used only when both still match:

- any save or delete of the basket, its lines or their options, and any voucher
  added to or removed from it, bumps the basket's version (now and after commit), so
  a summary computed from rows another request was changing is never used;
- any edit the page cache watches (prices, stock, offers, vouchers, the catalogue)
  bumps the generation, so totals follow a new price or offer at once.

A request whose basket is already loaded (the basket and checkout pages) takes the
summary from it and stores it. A patient who signs in with a cookie basket (Oscar
merges the two) and a request without a basket are answered by Oscar as before.
"""

import contextlib
import random

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from django.db import transaction
from django.utils.functional import SimpleLazyObject, empty

from shop.core.frame import frame_get_many
from shop.core.pagecache import GENERATION_KEY, pagecache_generation

SUMMARY_TIMEOUT = 300
VERSION_TIMEOUT = 7 * 24 * 3600


def basket_version_key(scope: str) -> str:
    """Return the Redis key of the version of a basket scope (`b<id>` or `u<id>`)."""
    return f"basket-summary:version:{scope}"


def _summary_key(scope: str) -> str:
    return f"basket-summary:{scope}"


def basket_scope(request) -> str | None:
    """Return the key part of the request's basket, or None when Oscar must load it."""
    cookie = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None if cookie else f"u{user.pk}"  # a cookie basket to merge: Oscar's way
    if not cookie:
        return None  # no basket: Oscar's empty Basket() costs no query
    try:
        return f"b{int(Signer().unsign(cookie))}"
    except (BadSignature, ValueError):
        return None


def _loaded(basket) -> bool:
    return not isinstance(basket, SimpleLazyObject) or basket._wrapped is not empty


def _summary_of(basket) -> dict:
    num_items = basket.num_items if basket.id else 0
    return {
        "num_items": num_items,
        "total_incl_tax": basket.total_incl_tax if num_items else None,
        "currency": basket.currency,
        "is_tax_known": basket.is_tax_known,
    }


def basket_version(found: dict, version_key: str) -> int:
    """Return the version read with `get_many`; start one (kept by the first writer) if none."""
    version = found.get(version_key)
    if version is None:
        version = random.randrange(1, 2**40)  # noqa: S311  (a version, no secret)
        if not cache.add(version_key, version, VERSION_TIMEOUT):
            version = cache.get(version_key, version)
    return version


def basket_summary(request) -> dict:
    """Return the number of items, the total (incl. GST, after offers) and the currency."""
    basket = request.basket
    scope = basket_scope(request)
    if scope is None:
        return _summary_of(basket)
    version_key, summary_key = basket_version_key(scope), _summary_key(scope)
    found = frame_get_many(request, [GENERATION_KEY, version_key, summary_key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = pagecache_generation()
    request._fragment_generation = int(generation)  # the fragments' read, saved
    stamp = (int(generation), basket_version(found, version_key))
    kept = found.get(summary_key)
    if kept is not None and kept[0] == stamp and not _loaded(basket):
        return kept[1]
    summary = _summary_of(basket)
    cache.set(summary_key, (stamp, summary), SUMMARY_TIMEOUT)
    return summary


def basket_summary_bump(*, basket_ids=(), owner_ids=()) -> None:
    """Make the kept summaries of these baskets and owners stale (now and after commit)."""
    scopes = [f"b{pk}" for pk in basket_ids if pk] + [f"u{pk}" for pk in owner_ids if pk]
    if not scopes:
        return

    def bump() -> None:
        for scope in scopes:
            with contextlib.suppress(ValueError):  # no version yet: nothing kept under one
                cache.incr(basket_version_key(scope))

    bump()
    transaction.on_commit(bump, robust=True)


def _owner_id(basket_model, basket_id, cached) -> int | None:
    if cached is not None:
        return cached.owner_id
    return (
        basket_model._default_manager.filter(pk=basket_id)
        .values_list("owner_id", flat=True)
        .first()
    )


def _basket_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    label = sender._meta.label_lower
    if label == "basket.basket":
        basket_summary_bump(basket_ids=[instance.pk], owner_ids=[instance.owner_id])
        return
    if label == "basket.lineattribute":
        instance = instance.line
    basket_model = type(instance)._meta.get_field("basket").related_model
    cached = instance._state.fields_cache.get("basket")  # no query when the line has it
    owner = _owner_id(basket_model, instance.basket_id, cached)
    basket_summary_bump(basket_ids=[instance.basket_id], owner_ids=[owner])


def _vouchers_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    Basket = sender._meta.get_field("basket").related_model
    if not reverse:
        basket_summary_bump(basket_ids=[instance.pk], owner_ids=[instance.owner_id])
        return
    ids = list(pk_set or ())
    if action == "pre_clear":  # a voucher's baskets are about to be cleared
        ids = list(sender.objects.filter(voucher=instance).values_list("basket_id", flat=True))
    owners = Basket._default_manager.filter(pk__in=ids).values_list("owner_id", flat=True)
    basket_summary_bump(basket_ids=ids, owner_ids=list(owners))


def basket_summary_receivers_connect() -> None:
    """Connect the receivers (called from the core app's ready())."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from oscar.core.loading import get_model

    for model_name in ("Basket", "Line", "LineAttribute"):
        model = get_model("basket", model_name)
        post_save.connect(
            _basket_changed, sender=model, dispatch_uid=f"basket-summary-{model_name}"
        )
        post_delete.connect(
            _basket_changed, sender=model, dispatch_uid=f"basket-summary-del-{model_name}"
        )
    through = get_model("basket", "Basket").vouchers.through
    m2m_changed.connect(_vouchers_changed, sender=through, dispatch_uid="basket-summary-vouchers")
