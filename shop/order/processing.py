"""Oscar's order event handler, recording the refunds Stripe made.

Oscar's order dashboard and the shop's refunds both record payment events
through `EventHandler.handle_payment_event`. A "refunded" event stands for a
refund Stripe made (its id is the reference): it is recorded once per refund,
moves the money on the order's Stripe source, sets the order's status and
sends the shop's `refund_recorded` signal. A refund typed into Oscar's
payment-event form, without Stripe, is refused.
"""

from oscar.apps.order import exceptions, processing
from oscar.core.loading import get_model

from shop.core.signals import refund_recorded
from shop.payments import selectors

Order = get_model("order", "Order")

REFUNDED = "refunded"
# A refund recorded without saying where it was made came from Stripe (charge.refunded).
ORIGIN_STRIPE = "stripe"


class EventHandler(processing.EventHandler):
    """Handle the order's events, refunds from Stripe included."""

    def validate_payment_event(
        self, order, event_type, amount, lines=None, line_quantities=None, **kwargs
    ):
        super().validate_payment_event(order, event_type, amount, lines, line_quantities, **kwargs)
        if event_type.code != REFUNDED:
            return
        if not kwargs.get("reference"):
            raise exceptions.InvalidPaymentEvent(
                "Refunds are made through Stripe, in the order's Payment (Stripe) panel."
            )
        if selectors.source_for_order(order=order) is None:
            raise exceptions.InvalidPaymentEvent("This order was not paid through Stripe.")

    def handle_payment_event(
        self, order, event_type, amount, lines=None, line_quantities=None, **kwargs
    ):
        """Record a payment event; a refund once per Stripe refund id (None the next time)."""
        if event_type.code != REFUNDED:
            return super().handle_payment_event(
                order, event_type, amount, lines, line_quantities, **kwargs
            )
        self.validate_payment_event(order, event_type, amount, **kwargs)
        reference = kwargs["reference"]
        if order.payment_events.filter(event_type=event_type, reference=reference).exists():
            return None
        selectors.source_for_order(order=order).refund(amount, reference=reference)
        left = selectors.order_refundable(order=order)
        lines = list(order.lines.all()) if left <= 0 else None
        event = self.create_payment_event(
            order,
            event_type,
            amount,
            lines,
            [line.quantity for line in lines] if lines else None,
            reference=reference,
        )
        self._refund_status_set(order, "Refunded" if left <= 0 else "Partially refunded")
        refund_recorded.send(
            sender=Order,
            order=order,
            amount=amount,
            reference=reference,
            origin=kwargs.get("origin", ORIGIN_STRIPE),
        )
        return event

    def _refund_status_set(self, order, status: str) -> None:
        if order.status == status:
            return
        if status in order.available_statuses():
            self.handle_order_status_change(order, status)
            return
        # A refund is a fact from Stripe: record it whatever the pipeline allows.
        old = order.status
        order.status = status
        order.save(update_fields=["status"])
        order.status_changes.create(old_status=old, new_status=status)
