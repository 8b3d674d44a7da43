"""Stock held for a PaymentIntent: reserved before the card is charged, released once.

The reservation is Oscar's own allocation (`num_allocated`): it is made under
row locks of the basket's stock records, taken in the order of their ids so
that two checkouts never deadlock, after checking that the net stock level
covers every line. The PaymentIntent record remembers what it holds, so that
a failed, cancelled or abandoned payment gives it back exactly once and the
order placed for a paid one takes it over instead of allocating again.
"""

import logging

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop.payments.models import PaymentIntent

logger = logging.getLogger("shop.payments")

StockRecord = get_model("partner", "StockRecord")

NO_LONGER_IN_STOCK = (
    "Sorry, {titles} {verb} no longer in stock in the quantity in your basket, so no "
    "payment was taken. Please check your basket."
)


class OutOfStock(Exception):
    """The basket wants more than is in stock: nothing is reserved and no card is charged."""


def basket_stock_needs(basket) -> dict[int, int]:
    """Return the units of each stock-tracked stock record the basket's lines take."""
    needs: dict[int, int] = {}
    for line in basket.all_lines():
        if line.stockrecord_id is None or not line.product.get_product_class().track_stock:
            continue
        needs[line.stockrecord_id] = needs.get(line.stockrecord_id, 0) + line.quantity
    return needs


def _held(record: PaymentIntent) -> dict[int, int]:
    return {int(pk): int(units) for pk, units in (record.reserved_stock or {}).items()}


def _lock(ids) -> dict[int, "StockRecord"]:
    """Lock the stock records, always in the order of their ids."""
    rows = StockRecord.objects.select_for_update(of=("self",)).filter(pk__in=sorted(ids))
    rows = rows.order_by("pk").select_related("product__product_class")
    return {row.pk: row for row in rows}


def _apply(rows: dict, change: dict[int, int]) -> None:
    for pk in sorted(change):
        units = change[pk]
        if pk not in rows or units == 0:
            continue
        if units > 0:
            rows[pk].allocate(units)
        else:
            rows[pk].cancel_allocation(-units)


def stock_reserve(*, record: PaymentIntent, basket) -> None:
    """Hold the basket's stock for the intent (what it held before is given back first).

    Raises OutOfStock naming the products short of stock; then nothing changes.
    """
    with transaction.atomic():
        record = PaymentIntent.objects.select_for_update().get(pk=record.pk)
        held, wanted = _held(record), basket_stock_needs(basket)
        if held == wanted:
            return
        rows = _lock(set(held) | set(wanted))
        short = [
            rows[pk].product.get_title() if pk in rows else "an item"
            for pk, units in sorted(wanted.items())
            if pk not in rows or rows[pk].net_stock_level + held.get(pk, 0) < units
        ]
        if short:
            raise OutOfStock(
                NO_LONGER_IN_STOCK.format(
                    titles=", ".join(short), verb="are" if len(short) > 1 else "is"
                )
            )
        _apply(rows, {pk: wanted.get(pk, 0) - held.get(pk, 0) for pk in set(held) | set(wanted)})
        record.reserved_stock = {str(pk): units for pk, units in wanted.items()}
        record.reserved_at = timezone.now() if wanted else None
        record.save(update_fields=["reserved_stock", "reserved_at", "updated_at"])


def stock_release(*, record: PaymentIntent) -> bool:
    """Give back what the intent holds, once; return whether anything was held.

    Runs inside the caller's transaction when there is one (the intent's row lock
    is taken again, which is harmless when the caller holds it).
    """
    with transaction.atomic():
        record = PaymentIntent.objects.select_for_update().get(pk=record.pk)
        held = _held(record)
        if not held:
            return False
        _apply(_lock(held), {pk: -units for pk, units in held.items()})
        record.reserved_stock = {}
        record.reserved_at = None
        record.save(update_fields=["reserved_stock", "reserved_at", "updated_at"])
    logger.info("Stock held for PaymentIntent %s given back: %s", record.intent_id, held)
    return True


def stock_hand_over(*, record: PaymentIntent, basket) -> None:
    """Before the order of a paid intent is placed: turn the reservation into the order's.

    Oscar's OrderCreator allocates each line; the reservation is given back
    first, in the same transaction and under the same row locks, so that the
    stock is allocated once. Call it with the intent's row locked.
    """
    held = _held(record)
    if not held:
        return
    rows = _lock(set(held) | set(basket_stock_needs(basket)))
    _apply(rows, {pk: -units for pk, units in held.items()})
    record.reserved_stock = {}
    record.reserved_at = None
