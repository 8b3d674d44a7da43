"""Stripe's webhook, and refunds from the order's dashboard page."""

import logging

from django import http
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from shop.payments import gateway, refunds, selectors, webhooks
from shop.payments.forms import RefundForm

logger = logging.getLogger("shop.payments")

Order = get_model("order", "Order")


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


@login_required
@permission_required("order.change_order", raise_exception=True)
@require_POST
@transaction.non_atomic_requests
def order_refund(request: http.HttpRequest, number: str) -> http.HttpResponse:
    """Refund part or all of an order through Stripe, from its dashboard page."""
    order = get_object_or_404(Order, number=number)
    form = RefundForm(request.POST, order=order)
    if form.is_valid():
        try:
            refunds.refund_create(
                order=order, amount=form.cleaned_data["amount"], user=request.user
            )
        except refunds.RefundRefused as refused:
            messages.error(request, str(refused))
        else:
            # Typed as "1e2" the amount is still S$100.00 to the reader.
            messages.success(
                request, f"Refunded S${form.cleaned_data['amount']:.2f} through Stripe."
            )
    else:
        messages.error(request, form.error_text())
    return redirect("dashboard:order-detail", number=order.number)


@login_required
# Whoever may see the orders may see the payments that did not become one.
@permission_required("order.view_order", raise_exception=True)
def payment_problems(request: http.HttpRequest) -> http.HttpResponse:
    """List the payments that were taken but did not become an order, for staff to resolve."""
    intents = selectors.payment_intents_with_problems()
    return render(request, "shop/payments/problems.html", {"intents": intents})
