"""The bridge between Oscar's checkout and the Stripe payments.

Turns the payments area's outcomes into Oscar's exceptions: a declined card
or failed authentication is UnableToTakePayment (the patient may try again);
Stripe being unreachable is PaymentError.
"""

import logging
from decimal import Decimal

from oscar.core.loading import get_classes

from shop.payments import gateway, selectors, services

UnableToTakePayment, PaymentError = get_classes(
    "payment.exceptions", ["UnableToTakePayment", "PaymentError"]
)

logger = logging.getLogger("shop.payments")

UNAVAILABLE = "We could not reach our card processor; no payment has been taken. Please try again."


class AuthenticationRequired(Exception):
    """The bank asks the patient to authenticate (3-D Secure) before the payment completes."""

    def __init__(self, *, intent_id: str, client_secret: str):
        super().__init__(intent_id)
        self.intent_id = intent_id
        self.client_secret = client_secret


def payment_take(
    *,
    basket,
    order_number: str,
    total: Decimal,
    checkout: dict,
    payment_method: str,
    return_url: str = "",
) -> str:
    """Take payment for a frozen basket with the patient's card; return the PaymentIntent id.

    Raises AuthenticationRequired when the bank wants 3-D Secure first.
    """
    try:
        record = services.payment_intent_prepare(
            basket=basket, order_number=order_number, amount=total, checkout=checkout
        )
        intent = services.payment_intent_confirm(
            record=record, payment_method=payment_method, return_url=return_url
        )
    except services.PaymentDeclined as declined:
        raise UnableToTakePayment(str(declined)) from declined
    except gateway.StripeError as error:
        logger.error("Stripe error taking payment for order %s: %s", order_number, error)
        raise PaymentError(UNAVAILABLE) from error
    return _outcome(intent)


def payment_resume(*, basket_id: int) -> str:
    """Re-read the basket's PaymentIntent after 3-D Secure; return its id when paid."""
    record = selectors.payment_intent_live_for_basket(basket_id=basket_id)
    if record is None:
        raise UnableToTakePayment("Your payment was not completed. Please try again.")
    try:
        intent = services.payment_intent_refresh(record=record)
    except gateway.StripeError as error:
        raise PaymentError(UNAVAILABLE) from error
    if intent.status == "requires_action":
        # The patient left the bank's box without finishing: start again with a card.
        services.payment_intent_fail(record=record, thaw=False)
        raise UnableToTakePayment(
            "The 3-D Secure check was not completed, so no payment was taken. Please try again."
        )
    return _outcome(intent)


def order_for_payment(*, intent_id: str):
    """Return the order of a paid PaymentIntent, placing it if it is not yet placed."""
    try:
        return services.order_place_for_intent(intent_id=intent_id)
    except services.PaymentMismatch as mismatch:
        raise PaymentError(
            "Your payment does not match your basket, so we have not placed the order. "
            "The clinic has been told and will contact you."
        ) from mismatch
    except services.PaymentNotCompleted as status:
        raise UnableToTakePayment("Your payment was not completed. Please try again.") from status
    except gateway.StripeError as error:
        raise PaymentError(UNAVAILABLE) from error


def _outcome(intent: gateway.Intent) -> str:
    if intent.status in ("succeeded", "processing"):
        return intent.id
    if intent.status == "requires_action":
        raise AuthenticationRequired(intent_id=intent.id, client_secret=intent.client_secret)
    if intent.error_code == "payment_intent_authentication_failure" or intent.status in (
        "requires_payment_method",
        "canceled",
    ):
        raise UnableToTakePayment(
            "Your bank could not authenticate this payment, so no payment was taken. "
            "Please try again or use another card."
        )
    raise UnableToTakePayment("Your payment was not completed. Please try again.")
