"""Stripe's webhook: signed events, each processed once."""

import logging

from django import http
from django.conf import settings
from django.db import transaction
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.payments import gateway, webhooks

logger = logging.getLogger("shop.payments")


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def stripe_webhook(request: http.HttpRequest) -> http.HttpResponse:
    """Verify a Stripe event's signature on the raw body and process it once."""
    signature = request.headers.get("Stripe-Signature", "")
    if not signature or not settings.STRIPE_WEBHOOK_SECRET:
        return http.HttpResponseBadRequest("missing signature")
    try:
        event = gateway.event_construct(
            payload=request.body, signature=signature, secret=settings.STRIPE_WEBHOOK_SECRET
        )
    except gateway.SignatureVerificationError:
        logger.warning("Stripe webhook with a bad signature refused")
        return http.HttpResponseBadRequest("bad signature")
    except ValueError as error:
        # Not a Stripe event, signed or not (gateway.MalformedEvent, or not UTF-8).
        logger.warning("Stripe webhook with a malformed body refused: %s", error)
        return http.HttpResponseBadRequest("not a Stripe event")
    try:
        outcome = webhooks.webhook_event_process(event=event)
    except gateway.MalformedEvent as error:
        logger.warning("Stripe webhook %s refused: %s", event["id"], error)
        return http.HttpResponseBadRequest("not a Stripe event")
    except gateway.StripeError as error:
        # Stripe sends the event again later; nothing was recorded of it.
        logger.error("Stripe webhook %s not processed: %s", event["id"], error)
        return http.HttpResponse("Stripe unavailable, retry later", status=503)
    logger.info("Stripe webhook %s %s: %s", event["type"], event["id"], outcome)
    return http.HttpResponse(outcome)
