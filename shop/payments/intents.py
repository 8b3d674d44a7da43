"""Writes of a basket's PaymentIntent: prepare, confirm with the patient's card, refresh, give up.

A basket has at most one PaymentIntent that may still be paid; every change
to it is made under the basket's or the intent's row lock.
"""

import logging
from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

from shop.core.money import from_cents, to_cents
from shop.payments import gateway, selectors, stock
from shop.payments.models import PaymentIntent

logger = logging.getLogger("shop.payments")

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")

CURRENCY = "sgd"
# Statuses after which a PaymentIntent takes no other payment method.
FINAL_STATUSES = ("succeeded", "processing", "canceled")


OutOfStock = stock.OutOfStock


class PaymentDeclined(Exception):
    """The card was declined or authentication failed; the patient may try again."""


def address_fields(address) -> dict:
    """Return an unsaved shipping address as JSON-ready fields."""
    if address is None:
        return {}
    skip = {"id", "search_text"}
    fields = {}
    for field in ShippingAddress._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(address, field.attname)
        fields[field.attname] = "" if value is None else str(value)
    return fields


def payment_intent_prepare(
    *, basket, order_number: str, amount: Decimal, checkout: dict
) -> PaymentIntent:
    """Create or update the one live PaymentIntent of a frozen basket and record it."""
    cents = to_cents(amount)
    order_number = str(order_number)
    with transaction.atomic():
        # The basket's row is the lock: two tabs or a double click wait for each other.
        Basket.objects.select_for_update().filter(pk=basket.pk).first()
        record = selectors.payment_intent_live_for_basket(basket_id=basket.pk)
        if record is not None and record.status in ("succeeded", "processing"):
            return record
        if record is not None and record.status == "requires_action":
            # A new card replaces one left half-authenticated: start afresh.
            _intent_abandon(record=record)
            record = None
        if record is not None:
            if to_cents(record.amount) != cents:
                intent = gateway.intent_update(intent_id=record.intent_id, amount=cents)
                record.amount = from_cents(intent.amount)
                record.status = intent.status
        else:
            attempt = PaymentIntent.objects.filter(basket_id=basket.pk).count()
            intent = gateway.intent_create(
                amount=cents,
                currency=CURRENCY,
                metadata={"basket_id": str(basket.pk), "order_number": order_number},
                # Same basket and amount: Stripe hands back the same intent on a retry.
                idempotency_key=f"shop-basket-{basket.pk}-{cents}-{attempt}",
            )
            record = PaymentIntent(
                intent_id=intent.id,
                basket=basket,
                amount=from_cents(intent.amount),
                currency=intent.currency.upper(),
                status=intent.status,
            )
        record.order_number = order_number
        record.checkout = checkout
        if record.pk is None:
            record.save()
        else:
            # Not the stock it holds: that is written under the intent's own row lock.
            record.save(
                update_fields=["order_number", "checkout", "amount", "status", "updated_at"]
            )
    return record


def _intent_abandon(*, record: PaymentIntent) -> None:
    """Cancel an intent that can no longer be paid, so that it never takes money later.

    Once it cannot take money, the stock it held is given back.
    """
    try:
        intent = gateway.intent_cancel(intent_id=record.intent_id)
        record.status = intent.status
    except gateway.StripeError:
        # Already canceled or paid: read what it is.
        record.status = gateway.intent_retrieve(intent_id=record.intent_id).status
    record.save(update_fields=["status", "updated_at"])
    if record.status not in ("succeeded", "processing"):
        stock.stock_release(record=record)
        record.reserved_stock, record.reserved_at = {}, None


def payment_intent_confirm(
    *, record: PaymentIntent, payment_method: str, return_url: str = ""
) -> gateway.Intent:
    """Attach the patient's payment method to the intent and confirm it.

    The basket's stock is reserved first, before the card is charged: when it
    is short, the intent is cancelled and OutOfStock raised. A declined card
    cancels the intent (the next attempt gets a new one) and raises
    PaymentDeclined with Stripe's message for the patient.
    """
    current = PaymentIntent.objects.get(pk=record.pk)
    if current.status not in FINAL_STATUSES and current.basket_id is not None:
        try:
            stock.stock_reserve(record=current, basket=current.basket)
        except stock.OutOfStock:
            payment_intent_fail(record=current, thaw=False)
            raise
    declined = ""
    with transaction.atomic():
        record = PaymentIntent.objects.select_for_update().get(pk=record.pk)
        if record.status in FINAL_STATUSES:
            return gateway.intent_retrieve(intent_id=record.intent_id)
        try:
            gateway.intent_update(intent_id=record.intent_id, payment_method=payment_method)
            intent = gateway.intent_confirm(intent_id=record.intent_id, return_url=return_url)
        except gateway.CardError as error:
            declined = error.user_message or "Your card was declined."
        except gateway.InvalidRequestError as error:
            logger.warning("PaymentIntent %s refused the card: %s", record.intent_id, error)
            declined = "This card could not be used. Please check its details or use another."
        if declined:
            _intent_abandon(record=record)
        else:
            record.status = intent.status
            record.save(update_fields=["status", "updated_at"])
    if declined:
        raise PaymentDeclined(declined)
    return intent


def payment_intent_refresh(*, record: PaymentIntent) -> gateway.Intent:
    """Re-read the intent from Stripe and record its status."""
    intent = gateway.intent_retrieve(intent_id=record.intent_id)
    PaymentIntent.objects.filter(pk=record.pk).update(status=intent.status)
    record.status = intent.status
    return intent


def payment_intent_fail(*, record: PaymentIntent, thaw: bool = True) -> None:
    """Give up an unpaid intent: cancel it at Stripe and give the patient the basket back."""
    with transaction.atomic():
        record = PaymentIntent.objects.select_for_update().get(pk=record.pk)
        if record.order_id or record.status == "succeeded":
            return
        if record.status != "canceled":
            _intent_abandon(record=record)
        elif record.reserved_stock:
            stock.stock_release(record=record)
        live = selectors.payment_intent_live_for_basket(basket_id=record.basket_id)
        # A late failure of an earlier attempt must not unfreeze the basket that a newer
        # PaymentIntent is taking payment for.
        if thaw and record.status == "canceled" and live is None:
            _basket_thaw(basket_id=record.basket_id)


def _basket_thaw(*, basket_id: int | None) -> None:
    if basket_id is None:
        return
    basket = Basket.objects.select_for_update().filter(pk=basket_id).first()
    if basket is not None and basket.status == Basket.FROZEN:
        basket.thaw()
