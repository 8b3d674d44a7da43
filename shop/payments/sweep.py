"""The reservations' sweep: stock held by payments that never succeeded is given back.

A patient who closes the tab in the middle of paying leaves a PaymentIntent
holding stock. After PAYMENT_RESERVATION_MINUTES the sweep asks Stripe: a paid
intent becomes its order (the webhook may have been lost); one still processing
is left alone; any other is cancelled at Stripe, so that it can never take the
money later, and its stock and its frozen basket are given back.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from shop.payments import gateway, intents, placement
from shop.payments.models import PaymentIntent

logger = logging.getLogger("shop.payments")


def reservations_sweep() -> int:
    """Settle the stale reservations; return how many were given back."""
    cutoff = timezone.now() - timedelta(minutes=settings.PAYMENT_RESERVATION_MINUTES)
    stale = PaymentIntent.objects.filter(reserved_at__lt=cutoff, order__isnull=True)
    released = 0
    for record in stale.order_by("reserved_at")[:200]:
        try:
            intent = gateway.intent_retrieve(intent_id=record.intent_id)
            if intent.status == "succeeded":
                placement.order_place_for_intent(intent_id=record.intent_id)
            elif intent.status != "processing":
                intents.payment_intent_fail(record=record)
                released += 1
        except (gateway.StripeError, placement.PaymentNotCompleted, placement.PaymentMismatch):
            logger.warning("Reservation of PaymentIntent %s left for now", record.intent_id)
    if released:
        logger.info("%d stale stock reservation(s) given back", released)
    return released
