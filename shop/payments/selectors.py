"""Reads of the payments area."""

from collections.abc import Iterable
from decimal import Decimal

from oscar.core.loading import get_model

from shop.payments.models import PaymentIntent

Source = get_model("payment", "Source")

STRIPE_SOURCE_CODE = "stripe"


def payment_intent_live_for_basket(*, basket_id: int) -> PaymentIntent | None:
    """Return the basket's PaymentIntent that may still be (or was) paid, if any."""
    return PaymentIntent.objects.filter(basket_id=basket_id).exclude(status="canceled").first()


def payment_intents_holding_stock():
    """Return the unpaid PaymentIntents that still hold stock (as `payment_holds_stock`)."""
    return (
        PaymentIntent.objects.exclude(status="canceled")
        .filter(order__isnull=True)
        .exclude(reserved_stock={})
    )


def checkout_for_order_number(*, order_number: str) -> dict:
    """Return the checkout details kept with the PaymentIntent of an order number ({} if none).

    One live PaymentIntent per basket, and one order number per basket: the one
    not cancelled is the one paid (its status may not be saved yet while the
    order is being placed).
    """
    record = (
        PaymentIntent.objects.filter(order_number=order_number)
        .exclude(status="canceled")
        .only("checkout")
        .first()
    )
    return dict(record.checkout or {}) if record is not None else {}


def source_for_order(*, order) -> "Source | None":
    """Return the order's Stripe payment source."""
    return order.sources.filter(source_type__code=STRIPE_SOURCE_CODE).first()


def order_refundable(*, order) -> Decimal:
    """Return how much of the order can still be refunded (what was paid less refunds)."""
    source = source_for_order(order=order)
    if source is None:
        return Decimal("0.00")
    return max(source.amount_debited - source.amount_refunded, Decimal("0.00"))


def refunded_amount(*, source_refunds: Iterable[Decimal]) -> Decimal:
    """Return an order's refunded amount from the refunded amounts of its payment sources.

    The one rule for what an order had refunded (emails, exports, the refund
    panel): what Oscar's `Source.refund` recorded on its sources. A refund's
    "Refunded" payment event is written in the same transaction (refund_record).
    """
    return sum(source_refunds, start=Decimal("0.00"))


def order_refunded(*, order) -> Decimal:
    """Return how much of the order has been refunded so far."""
    return refunded_amount(
        source_refunds=(source.amount_refunded for source in order.sources.all())
    )


def payment_intents_with_problems():
    """Return the PaymentIntents that were paid but could not become an order."""
    return PaymentIntent.objects.exclude(problem="").filter(order__isnull=True)
