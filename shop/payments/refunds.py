"""Refunds: made through Stripe from the order's dashboard page, or reconciled from Stripe's.

Either way the refund is recorded on the order by Oscar's order event handler
(`order.processing.EventHandler`, forked in shop/order/processing.py), which
sends the shop's `refund_recorded` signal.
"""

import logging
from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_class, get_model

from shop.core.money import from_cents, to_cents
from shop.payments import gateway, selectors

logger = logging.getLogger("shop.payments")

Order = get_model("order", "Order")
PaymentEventType = get_model("order", "PaymentEventType")
EventHandler = get_class("order.processing", "EventHandler")

REFUNDED = "refunded"
# Where a refund was made (the `origin` of the refund_recorded signal): from the shop's
# dashboard through refund_create, or in Stripe's own dashboard (reconciled from charge.refunded).
ORIGIN_DASHBOARD = "dashboard"
ORIGIN_STRIPE = "stripe"


class RefundRefused(Exception):
    """The refund asked for cannot be made; the message says why."""


def refund_create(*, order: Order, amount: Decimal, user=None) -> str:
    """Refund part or all of what is still refundable on the order through Stripe.

    Returns the Stripe refund id. The shop computes what is refundable itself:
    an amount above it is refused before Stripe is asked.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
        source = selectors.source_for_order(order=order)
        if source is None:
            raise RefundRefused("This order was not paid through Stripe.")
        refundable = selectors.order_refundable(order=order)
        if amount <= 0:
            raise RefundRefused("Enter an amount above zero.")
        if amount > refundable:
            raise RefundRefused(f"At most S${refundable} can still be refunded.")
        try:
            refund = gateway.refund_create(
                intent_id=source.reference,
                amount=to_cents(amount),
                # What was refunded before makes a second identical refund a new one.
                idempotency_key=(
                    f"shop-refund-{order.number}-{to_cents(source.amount_refunded)}"
                    f"-{to_cents(amount)}"
                ),
            )
        except gateway.StripeError as error:
            logger.error("Refund of order %s failed at Stripe: %s", order.number, error)
            raise RefundRefused(
                "Stripe did not make the refund; nothing was changed. Try again later."
            ) from error
        refund_record(
            order=order,
            amount=from_cents(refund.amount),
            reference=refund.id,
            user=user,
            origin=ORIGIN_DASHBOARD,
        )
    return refund.id


def refund_record(
    *, order: Order, amount: Decimal, reference: str, user=None, origin: str = ORIGIN_STRIPE
) -> bool:
    """Record a refund made at Stripe on the order, once per Stripe refund id.

    `origin` says where it was made (ORIGIN_DASHBOARD or ORIGIN_STRIPE); it goes
    with the refund_recorded signal. Returns False when the refund was recorded before.
    """
    with transaction.atomic():
        # NO KEY UPDATE, as every lock of an order row that keeps its key: rows pointing at
        # the order (a worker's email record) are written meanwhile (see invoice_issue).
        order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
        event_type, _ = PaymentEventType.objects.get_or_create(
            code=REFUNDED, defaults={"name": "Refunded"}
        )
        event = EventHandler(user=user).handle_payment_event(
            order, event_type, amount, reference=reference, origin=origin
        )
    return event is not None
