"""The Stripe client of the shop: PaymentIntents and refunds, nothing of Oscar.

Every call goes through stripe-python's StripeClient. With STRIPE_API_BASE
set (local runs and tests) it talks to localstripe, the offline Stripe, over
HTTP; otherwise to Stripe itself with the keys from the environment.
Amounts are whole cents; currencies are Stripe's lower-case codes.
"""

import json
import time
from dataclasses import dataclass

import stripe
from django.conf import settings

# Re-exported so callers catch Stripe's errors without importing stripe.
StripeError = stripe.StripeError
CardError = stripe.CardError
InvalidRequestError = stripe.InvalidRequestError
SignatureVerificationError = stripe.SignatureVerificationError

# How far a webhook's signed timestamp may be from now, either way (Stripe's default is
# 300 s into the past only: a timestamp far in the future is refused here like a stale one).
WEBHOOK_TOLERANCE_SECONDS = 300


class MalformedEvent(ValueError):
    """A webhook body, signed or not, that is not a Stripe event the shop can read."""


# Stripe refuses to charge less than S$0.50 (its minimum charge amount for SGD).
MINIMUM_CHARGE_CENTS = 50


@dataclass(frozen=True)
class Intent:
    """What the shop needs to know of a PaymentIntent."""

    id: str
    status: str
    amount: int
    currency: str
    client_secret: str
    metadata: dict
    error_code: str
    error_message: str
    next_action_type: str


@dataclass(frozen=True)
class RefundResult:
    id: str
    amount: int
    status: str
    intent_id: str


def is_offline() -> bool:
    """Tell whether the shop talks to localstripe rather than to Stripe."""
    return bool(settings.STRIPE_API_BASE)


def client() -> stripe.StripeClient:
    """Return a StripeClient for the configured Stripe (or localstripe)."""
    options: dict = {"max_network_retries": 0 if is_offline() else 2}
    if is_offline():
        base = settings.STRIPE_API_BASE.rstrip("/")
        options["base_addresses"] = {"api": base}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY or "sk_test_local", **options)


def _intent(obj) -> Intent:
    data = obj.to_dict()
    error = data.get("last_payment_error") or {}
    next_action = data.get("next_action") or {}
    return Intent(
        id=data["id"],
        status=data["status"],
        amount=int(data["amount"]),
        currency=data["currency"],
        client_secret=data.get("client_secret") or "",
        metadata=dict(data.get("metadata") or {}),
        error_code=error.get("code") or "",
        error_message=error.get("message") or "",
        next_action_type=next_action.get("type") or "",
    )


def payment_method_types() -> list[str]:
    """Return the payment methods offered: cards, and PayNow with real Stripe."""
    return ["card"] if is_offline() else ["card", "paynow"]


def intent_create(
    *, amount: int, currency: str, metadata: dict[str, str], idempotency_key: str
) -> Intent:
    """Create a PaymentIntent of `amount` cents."""
    obj = client().v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": currency,
            "payment_method_types": payment_method_types(),
            "metadata": metadata,
        },
        options={"idempotency_key": idempotency_key},
    )
    return _intent(obj)


def intent_retrieve(*, intent_id: str) -> Intent:
    """Read a PaymentIntent as Stripe has it now."""
    return _intent(client().v1.payment_intents.retrieve(intent_id))


def intent_update(
    *, intent_id: str, amount: int | None = None, payment_method: str | None = None
) -> Intent:
    """Change the amount or the payment method of an unconfirmed PaymentIntent."""
    params: dict = {}
    if amount is not None:
        params["amount"] = amount
    if payment_method is not None:
        params["payment_method"] = payment_method
    return _intent(client().v1.payment_intents.update(intent_id, params=params))


def intent_confirm(*, intent_id: str, return_url: str = "") -> Intent:
    """Confirm a PaymentIntent whose payment method is attached.

    A declined card raises CardError. The payment method is attached with an
    update first: localstripe refuses one passed to /confirm.
    """
    params: dict = {}
    if not is_offline():
        # The browser finishes any next action with Stripe.js (handleNextAction); a bank
        # that insists on a full-page redirect sends the patient back to `return_url`.
        params["use_stripe_sdk"] = True
        if return_url:
            params["return_url"] = return_url
    return _intent(client().v1.payment_intents.confirm(intent_id, params=params))


def intent_cancel(*, intent_id: str) -> Intent:
    """Cancel a PaymentIntent that can no longer be paid."""
    return _intent(client().v1.payment_intents.cancel(intent_id))


def refund_create(*, intent_id: str, amount: int, idempotency_key: str) -> RefundResult:
    """Refund `amount` cents of a paid PaymentIntent."""
    obj = client().v1.refunds.create(
        params={"payment_intent": intent_id, "amount": amount},
        options={"idempotency_key": idempotency_key},
    )
    return _refund(obj)


def refund_retrieve(*, refund_id: str) -> RefundResult:
    """Read a refund as Stripe has it now."""
    return _refund(client().v1.refunds.retrieve(refund_id))


def refunds_for_intent(*, intent_id: str) -> list[RefundResult]:
    """List the refunds of a PaymentIntent as Stripe has them now."""
    listed = client().v1.refunds.list(params={"payment_intent": intent_id, "limit": 100})
    return [_refund(obj) for obj in listed.auto_paging_iter()]


def _refund(obj) -> RefundResult:
    data = obj.to_dict()
    intent = data.get("payment_intent") or ""
    if isinstance(intent, dict):
        intent = intent.get("id", "")
    return RefundResult(
        id=data["id"],
        amount=int(data["amount"]),
        status=data.get("status") or "",
        intent_id=intent,
    )


@dataclass(frozen=True)
class DisputeResult:
    id: str
    status: str
    reason: str
    amount: int
    intent_id: str
    charge_id: str


def dispute_retrieve(*, dispute_id: str) -> DisputeResult:
    """Read a dispute as Stripe has it now."""
    return dispute_from_dict(client().v1.disputes.retrieve(dispute_id).to_dict())


def dispute_from_dict(data: dict) -> DisputeResult:
    """Read a dispute from Stripe's JSON; raise MalformedEvent for fields of the wrong kind."""

    def text(key: str) -> str:
        value = data.get(key)
        if isinstance(value, dict):  # expanded: an object with its id
            value = value.get("id")
        if value is None:
            return ""
        if not isinstance(value, str):
            raise MalformedEvent(f"the dispute's {key} is not text")
        return value

    amount = data.get("amount") or 0
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise MalformedEvent("the dispute's amount is not a number of cents")
    dispute = DisputeResult(
        id=text("id"),
        status=text("status"),
        reason=text("reason"),
        amount=amount,
        intent_id=text("payment_intent"),
        charge_id=text("charge"),
    )
    if not dispute.id:
        raise MalformedEvent("the dispute has no id")
    return dispute


def charge_intent_id(*, charge_id: str) -> str:
    """Return the PaymentIntent id of a charge as Stripe has it now ("" when it has none)."""
    intent = client().v1.charges.retrieve(charge_id).to_dict().get("payment_intent") or ""
    return intent.get("id", "") if isinstance(intent, dict) else intent


def event_construct(*, payload: bytes, signature: str, secret: str) -> dict:
    """Verify a webhook's signature on its raw body and return the event as a dict.

    Raises SignatureVerificationError for a bad, stale, future or missing
    signature, and MalformedEvent (a ValueError) for a body that is not a
    Stripe event: not JSON, nested too deeply, not an object, without a text
    id and type, or whose data.object is not an object.
    """
    stripe.WebhookSignature.verify_header(
        payload, signature, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
    )
    if _signature_timestamp(signature) > time.time() + WEBHOOK_TOLERANCE_SECONDS:
        raise SignatureVerificationError(
            "Timestamp in the future, outside the tolerance zone", signature, payload
        )
    return _event_parse(payload)


def _signature_timestamp(header: str) -> int:
    # The first t= of the header, as stripe-python's verification reads it.
    for item in header.split(","):
        key, _, value = item.partition("=")
        if key == "t":
            return int(value)
    raise SignatureVerificationError("No timestamp in the signature", header)


def _event_parse(payload: bytes) -> dict:
    try:
        event = json.loads(payload)
    except RecursionError as error:
        raise MalformedEvent("the body is nested too deeply") from error
    except ValueError as error:
        raise MalformedEvent("the body is not JSON") from error
    if not isinstance(event, dict):
        raise MalformedEvent("the body is not a JSON object")
    for key, longest in (("id", 255), ("type", 100)):
        value = event.get(key)
        if not isinstance(value, str) or not value or len(value) > longest:
            raise MalformedEvent(f"the event has no usable {key}")
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise MalformedEvent("the event's data.object is not an object")
    return event


def js_url() -> str:
    """Return where the browser loads Stripe.js: localstripe's fake one offline."""
    if is_offline():
        return settings.STRIPE_API_BASE.rstrip("/") + "/js.stripe.com/v3/"
    return "https://js.stripe.com/v3/"
