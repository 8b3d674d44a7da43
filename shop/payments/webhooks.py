"""Stripe's signed events: each processed once, by the handler its type names in HANDLERS.

The event's own data is not trusted to be current: every handler re-reads the
PaymentIntent or refund it names from Stripe before it acts. A field a handler
reads that is not what Stripe sends raises gateway.MalformedEvent: the event is
answered 400 and not kept.
"""

from collections.abc import Callable

from django.db import transaction

from shop.core.money import from_cents
from shop.packages import disputes
from shop.payments import gateway, intents, placement, refunds
from shop.payments.models import PaymentIntent, WebhookEvent


def webhook_event_process(*, event: dict) -> str:
    """Process a verified Stripe event once; return what was done."""
    obj = event["data"]["object"]
    # One transaction: if processing fails (Stripe unreachable), the event is not kept
    # as processed and Stripe's retry is handled in full.
    with transaction.atomic():
        record, created = WebhookEvent.objects.get_or_create(
            event_id=event["id"],
            defaults={"type": event["type"], "object_id": _text(obj, "id")[:255]},
        )
        if not created:
            return "duplicate"
        handler = HANDLERS.get(event["type"])
        outcome = handler(obj) if handler else "ignored"
        record.outcome = outcome[:255]
        record.save(update_fields=["outcome"])
    return outcome


def _text(obj: dict, key: str) -> str:
    """Return a text field of an event's object ("" when absent or null)."""
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise gateway.MalformedEvent(f"{key} is not text")
    return value


def _on_intent_succeeded(obj: dict) -> str:
    intent_id = _text(obj, "id")
    if not PaymentIntent.objects.filter(intent_id=intent_id).exists():
        return "unknown payment intent"
    try:
        order = placement.order_place_for_intent(intent_id=intent_id)
    except placement.PaymentNotCompleted as status:
        return f"not paid ({status})"
    except placement.PaymentMismatch as problem:
        return f"not placed: {problem}"
    return f"order {order.number}"


def _on_intent_failed(obj: dict) -> str:
    record = PaymentIntent.objects.filter(intent_id=_text(obj, "id")).first()
    if record is None:
        return "unknown payment intent"
    intent = intents.payment_intent_refresh(record=record)
    # Act only on what Stripe says now: an attempt that failed (back to needing a payment
    # method, with the error) or a cancelled intent. A forged or stale event must not
    # cancel a payment in progress, such as a 3-D Secure check the patient is doing.
    failed = intent.status == "canceled" or (
        intent.status == "requires_payment_method" and (intent.error_code or intent.error_message)
    )
    if record.order_id or not failed:
        return f"ignored: intent is {intent.status}"
    intents.payment_intent_fail(record=record)
    return "failed: basket given back" if record.basket_id else "failed"


def _on_charge_refunded(obj: dict) -> str:
    intent_id = _text(obj, "payment_intent")
    record = PaymentIntent.objects.filter(intent_id=intent_id).first() if intent_id else None
    if record is None or record.order_id is None:
        return "no order for this charge"
    # The charge's own list of refunds is not read: Stripe leaves it out of the event
    # (API versions since 2022-11-15), and what Stripe lists now is what counts.
    recorded = 0
    for refund in gateway.refunds_for_intent(intent_id=record.intent_id):
        if refund.status not in ("succeeded", "pending") or refund.intent_id != record.intent_id:
            continue
        if refunds.refund_record(
            order=record.order,
            amount=from_cents(refund.amount),
            reference=refund.id,
            origin=refunds.ORIGIN_STRIPE,
        ):
            recorded += 1
    return f"{recorded} refund(s) recorded"


def _dispute_current(obj: dict) -> gateway.DisputeResult:
    """Return the dispute as Stripe has it now; offline, as the signed event has it.

    localstripe keeps no disputes: there the signed event's ids and status are
    all the shop has.
    """
    dispute = gateway.dispute_from_dict(obj)
    if gateway.is_offline():
        return dispute
    return gateway.dispute_retrieve(dispute_id=dispute.id)


def _dispute_order(dispute: gateway.DisputeResult):
    intent_id = dispute.intent_id
    if not intent_id and dispute.charge_id:
        try:
            intent_id = gateway.charge_intent_id(charge_id=dispute.charge_id)
        except gateway.InvalidRequestError:
            return None  # Stripe has no such charge: not one of the shop's payments
    record = PaymentIntent.objects.filter(intent_id=intent_id).first() if intent_id else None
    return record.order if record is not None and record.order_id else None


def _on_dispute_created(obj: dict) -> str:
    dispute = _dispute_current(obj)
    order = _dispute_order(dispute)
    if order is None:
        return "no order for this dispute"
    why = f" ({dispute.reason.replace('_', ' ')})" if dispute.reason else ""
    reason = f"Payment dispute {dispute.id} opened{why} for S${from_cents(dispute.amount)}"
    frozen = disputes.credits_freeze_for_order(order=order, reason=reason)
    return f"order {order.number}: {frozen} credit(s) frozen"


# Closed in the patient's favour (lost) takes the money; won or an inquiry closed gives it back.
DISPUTE_WON = ("won", "warning_closed")
DISPUTE_LOST = ("lost",)


def _on_dispute_closed(obj: dict) -> str:
    dispute = _dispute_current(obj)
    order = _dispute_order(dispute)
    if order is None:
        return "no order for this dispute"
    if dispute.status not in DISPUTE_WON + DISPUTE_LOST:
        return f"ignored: dispute is {dispute.status or 'without a status'}"
    won = dispute.status in DISPUTE_WON
    changed = disputes.credits_dispute_close(order=order, won=won, reference=dispute.id)
    if won:
        return f"order {order.number}: dispute won, {changed} credit(s) unfrozen"
    return f"order {order.number}: dispute lost, {changed} credit(s) refunded"


# The one table from a Stripe event type to what the shop does with it; others are ignored.
HANDLERS: dict[str, Callable[[dict], str]] = {
    "payment_intent.succeeded": _on_intent_succeeded,
    "payment_intent.payment_failed": _on_intent_failed,
    "charge.refunded": _on_charge_refunded,
    "charge.dispute.created": _on_dispute_created,
    "charge.dispute.closed": _on_dispute_closed,
}
