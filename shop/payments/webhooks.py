"""Stripe's signed events: each processed once, by the handler its type names in HANDLERS.

The event's own data is not trusted to be current: every handler re-reads the
PaymentIntent or refund it names from Stripe before it acts.
"""

import logging
from collections.abc import Callable

from django.db import transaction

from shop.core.money import from_cents
from shop.payments import gateway, intents, placement, refunds
from shop.payments.models import PaymentIntent, WebhookEvent

logger = logging.getLogger("shop.payments")


def webhook_event_process(*, event: dict) -> str:
    """Process a verified Stripe event once; return what was done."""
    obj = (event.get("data") or {}).get("object") or {}
    # One transaction: if processing fails (Stripe unreachable), the event is not kept
    # as processed and Stripe's retry is handled in full.
    with transaction.atomic():
        record, created = WebhookEvent.objects.get_or_create(
            event_id=event["id"],
            defaults={"type": event.get("type", ""), "object_id": str(obj.get("id", ""))},
        )
        if not created:
            return "duplicate"
        handler = HANDLERS.get(event.get("type", ""))
        outcome = handler(obj) if handler else "ignored"
        record.outcome = outcome[:255]
        record.save(update_fields=["outcome"])
    return outcome


def _on_intent_succeeded(obj: dict) -> str:
    intent_id = obj.get("id", "")
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
    record = PaymentIntent.objects.filter(intent_id=obj.get("id", "")).first()
    if record is None:
        return "unknown payment intent"
    intent = intents.payment_intent_refresh(record=record)
    if intent.status in ("succeeded", "processing") or record.order_id:
        return f"ignored: intent is {intent.status}"
    intents.payment_intent_fail(record=record)
    return "failed: basket given back" if record.basket_id else "failed"


def _on_charge_refunded(obj: dict) -> str:
    record = PaymentIntent.objects.filter(intent_id=obj.get("payment_intent") or "").first()
    if record is None or record.order_id is None:
        return "no order for this charge"
    items = ((obj.get("refunds") or {}).get("data")) or []
    recorded = 0
    for item in items:
        try:
            refund = gateway.refund_retrieve(refund_id=str(item.get("id", "")))
        except gateway.InvalidRequestError:
            logger.warning("charge.refunded names refund %s, unknown to Stripe", item.get("id"))
            continue
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
