"""Stripe's signed events: each processed once, by the handler its type names in HANDLERS.

The event's own data is not trusted to be current: every handler re-reads the
PaymentIntent or refund it names from Stripe before it acts. A field a handler
reads that is not what Stripe sends raises gateway.MalformedEvent: the event is
answered 400 and not kept.
"""

from collections.abc import Callable

from django.db import transaction

from shop.core.money import from_cents
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
            order=record.order, amount=from_cents(refund.amount), reference=refund.id
        ):
            recorded += 1
    return f"{recorded} refund(s) recorded"


# The one table from a Stripe event type to what the shop does with it; others are ignored.
HANDLERS: dict[str, Callable[[dict], str]] = {
    "payment_intent.succeeded": _on_intent_succeeded,
    "payment_intent.payment_failed": _on_intent_failed,
    "charge.refunded": _on_charge_refunded,
}
