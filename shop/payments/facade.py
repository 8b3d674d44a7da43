"""The bridge between Oscar's checkout and the Stripe payments.

Turns the payments area's outcomes into Oscar's exceptions: a declined card
or failed authentication is UnableToTakePayment (the patient may try again);
Stripe being unreachable is PaymentError. The checkout's views talk to this
module only, never to the gateway, the writes or the reads behind it.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists
from oscar.core.loading import get_classes

from shop.payments import gateway, intents, placement, selectors

UnableToTakePayment, PaymentError = get_classes(
    "payment.exceptions", ["UnableToTakePayment", "PaymentError"]
)

logger = logging.getLogger("shop.payments")

# Stripe's smallest charge, in cents: a smaller total cannot be paid by card.
MINIMUM_CHARGE_CENTS = gateway.MINIMUM_CHARGE_CENTS

UNAVAILABLE = "We could not reach our card processor; no payment has been taken. Please try again."


class AuthenticationRequired(Exception):
    """The bank asks the patient to authenticate (3-D Secure) before the payment completes."""

    def __init__(self, *, intent_id: str, client_secret: str):
        super().__init__(intent_id)
        self.intent_id = intent_id
        self.client_secret = client_secret


# The basket wants more than is in stock; its message is for the patient. No card is charged.
OutOfStock = intents.OutOfStock


class PaymentPending(Exception):
    """The payment is still being processed, or Stripe cannot say: leave the basket frozen."""


def payment_page_options() -> dict:
    """Return what the payment page needs to load Stripe.js and take a card."""
    return {
        "stripe_js_url": gateway.js_url(),
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "stripe_offline": gateway.is_offline(),
        "stripe_payment_methods": ",".join(gateway.payment_method_types()),
    }


def payment_possible(*, total_cents: int) -> bool:
    """Tell whether Stripe would take a card payment of this many cents."""
    return total_cents >= MINIMUM_CHARGE_CENTS


def checkout_details(
    *,
    user,
    guest_email: str,
    shipping_address,
    shipping_method_code: str,
    patient: dict | None = None,
) -> dict:
    """Return what an order needs besides its basket, kept with the PaymentIntent.

    The webhook places the order from it when the patient never comes back.
    `patient` is who a treatment is for (name and phone), given at the checkout.
    """
    return {
        "user_id": user.pk if user.is_authenticated else None,
        "guest_email": guest_email,
        "shipping_address": intents.address_fields(shipping_address),
        "shipping_method": shipping_method_code,
        "patient_name": (patient or {}).get("name", ""),
        "patient_phone": (patient or {}).get("phone", ""),
    }


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

    Raises AuthenticationRequired when the bank wants 3-D Secure first, and
    OutOfStock (nothing charged) when the basket's stock cannot be reserved.
    """
    try:
        record = intents.payment_intent_prepare(
            basket=basket, order_number=order_number, amount=total, checkout=checkout
        )
        intent = intents.payment_intent_confirm(
            record=record, payment_method=payment_method, return_url=return_url
        )
        if intent.status not in ("succeeded", "processing", "requires_action"):
            # Not paid and not waiting for the bank: give up this intent and its stock.
            intents.payment_intent_fail(record=record, thaw=False)
    except intents.PaymentDeclined as declined:
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
        intent = intents.payment_intent_refresh(record=record)
    except gateway.StripeError as error:
        raise PaymentError(UNAVAILABLE) from error
    if intent.status == "requires_action":
        # The patient left the bank's box without finishing: start again with a card.
        intents.payment_intent_fail(record=record, thaw=False)
        raise UnableToTakePayment(
            "The 3-D Secure check was not completed, so no payment was taken. Please try again."
        )
    return _outcome(intent)


def payment_interrupted_settle(*, basket_id: int):
    """Settle a payment left half-way for a frozen basket (a reload during 3-D Secure, say).

    Return the order when the payment was made; None when it was not (the
    PaymentIntent is cancelled: the basket may be given back); raise
    PaymentPending when it is still processing or Stripe cannot say.
    """
    record = selectors.payment_intent_live_for_basket(basket_id=basket_id)
    if record is None:
        return None
    try:
        intent = intents.payment_intent_refresh(record=record)
        if intent.status == "succeeded":
            return order_for_payment(intent_id=record.intent_id)
        if intent.status == "processing":
            raise PaymentPending(intent.status)
        intents.payment_intent_fail(record=record, thaw=False)
    except (gateway.StripeError, UnableToTakePayment, PaymentError) as error:
        logger.warning("Interrupted payment for basket %s left as is: %s", basket_id, error)
        raise PaymentPending(str(error)) from error
    return None


def payment_abandon(*, basket_id: int) -> None:
    """Give up the basket's unpaid PaymentIntent, leaving the basket to the checkout."""
    record = selectors.payment_intent_live_for_basket(basket_id=basket_id)
    if record is not None:
        intents.payment_intent_fail(record=record, thaw=False)


def order_for_basket(*, basket_id: int):
    """Return the order the basket's PaymentIntent became, if any (and it is this basket's)."""
    record = selectors.payment_intent_live_for_basket(basket_id=basket_id)
    if record is None or not record.order_id or record.order.basket_id != basket_id:
        return None
    return record.order


def payment_holds_stock_exists(basket_ref) -> Exists:
    """Return an `Exists` telling whether a basket (an `OuterRef`) has an unpaid
    PaymentIntent still holding stock for it: `payment_holds_stock` for many baskets in
    one query."""
    return Exists(selectors.payment_intents_holding_stock().filter(basket_id=basket_ref))


def payment_holds_stock(*, basket_id: int) -> bool:
    """Tell whether the basket has an unpaid PaymentIntent still holding stock for it."""
    record = selectors.payment_intent_live_for_basket(basket_id=basket_id)
    return record is not None and not record.order_id and bool(record.reserved_stock)


def order_for_payment(*, intent_id: str):
    """Return the order of a paid PaymentIntent, placing it if it is not yet placed."""
    try:
        return placement.order_place_for_intent(intent_id=intent_id)
    except placement.PaymentMismatch as mismatch:
        raise PaymentError(
            "Your payment does not match your basket, so we have not placed the order. "
            "The clinic has been told and will contact you."
        ) from mismatch
    except placement.PaymentNotCompleted as status:
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
