"""A paid PaymentIntent becomes exactly one Oscar order, placed from its frozen basket.

`order_place_for_intent` locks the intent's row, re-reads the intent from
Stripe and checks it against the basket before Oscar's `OrderCreator` places
the order (which sends Oscar's `order_placed` signal inside the transaction);
Oscar's unique order number backs it up. The browser's return and Stripe's
webhook both call it.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from oscar.core.loading import get_class, get_model

from shop.core.money import from_cents, to_cents
from shop.payments import gateway, selectors, stock
from shop.payments.intents import CURRENCY
from shop.payments.models import PaymentIntent

logger = logging.getLogger("shop.payments")

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")
Applicator = get_class("offer.applicator", "Applicator")
Selector = get_class("partner.strategy", "Selector")


class PaymentMismatch(Exception):
    """Stripe's PaymentIntent does not match the basket: no order is placed."""


class PaymentNotCompleted(Exception):
    """The PaymentIntent is not paid (yet)."""


class _OrderPlacer(OrderPlacementMixin):
    """Oscar's order placement, used outside a checkout view (no request, no session)."""

    request = None


def _checkout_user(checkout: dict):
    user_id = checkout.get("user_id")
    if user_id:
        user = get_user_model().objects.filter(pk=user_id).first()
        if user is not None:
            return user
    return AnonymousUser()


def _shipping_method(*, basket, code: str, address, user):
    for method in Repository().get_shipping_methods(
        basket=basket, user=user, shipping_addr=address, request=None
    ):
        if method.code == code:
            return method
    return None


def order_place_for_intent(*, intent_id: str) -> Order:
    """Place the order a paid PaymentIntent stands for, once, from its frozen basket.

    Re-reads the intent from Stripe and checks status, amount, currency and
    order number against the basket first. Raises PaymentNotCompleted when it
    is not paid and PaymentMismatch (recorded for staff) when it does not match.
    """
    mismatch = ""
    with transaction.atomic():
        record = PaymentIntent.objects.select_for_update().get(intent_id=intent_id)
        if record.order_id:
            return record.order
        intent = gateway.intent_retrieve(intent_id=intent_id)
        record.status = intent.status
        if intent.status != "succeeded":
            record.save(update_fields=["status", "updated_at"])
            raise PaymentNotCompleted(intent.status)
        order, mismatch = _order_place(record=record, intent=intent)
        if mismatch:
            record.problem = mismatch
            logger.error("PaymentIntent %s paid but not placed: %s", intent_id, mismatch)
        record.order = order
        record.save()
    if mismatch:
        raise PaymentMismatch(mismatch)
    return order


def _order_place(*, record: PaymentIntent, intent: gateway.Intent) -> tuple[Order | None, str]:
    existing = Order.objects.filter(number=record.order_number).first()
    if existing is not None:
        if existing.sources.filter(reference=record.intent_id).exists():
            return existing, ""
        return None, f"order {record.order_number} already exists with another payment"
    basket = (
        Basket.objects.select_for_update().filter(pk=record.basket_id).first()
        if record.basket_id
        else None
    )
    if basket is None or basket.status == Basket.SUBMITTED:
        return None, "the basket paid for is gone or was already ordered"

    checkout = record.checkout or {}
    user = _checkout_user(checkout)
    basket.strategy = Selector().strategy(user=user)
    Applicator().apply(basket, user, None)
    fields = checkout.get("shipping_address") or {}
    shipping_address = ShippingAddress(**fields) if fields else None
    method = _shipping_method(
        basket=basket,
        code=checkout.get("shipping_method", ""),
        address=shipping_address,
        user=user,
    )
    if method is None:
        return None, "the shipping method chosen is no longer offered"
    shipping_charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, shipping_charge)

    problems = _intent_problems(record=record, intent=intent, total=total.incl_tax)
    if problems:
        return None, "; ".join(problems)

    # The stock reserved before the card was charged becomes the order's allocation.
    stock.stock_hand_over(record=record, basket=basket)
    placer = _OrderPlacer()
    source_type, _ = SourceType.objects.get_or_create(
        code=selectors.STRIPE_SOURCE_CODE, defaults={"name": "Stripe"}
    )
    source = Source(
        source_type=source_type,
        currency=settings.OSCAR_DEFAULT_CURRENCY,
        amount_allocated=total.incl_tax,
        reference=record.intent_id,
    )
    placer.add_payment_source(source)
    placer.add_payment_event("Settled", total.incl_tax, reference=record.intent_id)
    order_kwargs = {}
    if not user.is_authenticated:
        order_kwargs["guest_email"] = checkout.get("guest_email", "")
    order = placer.place_order(
        order_number=record.order_number,
        user=user,
        basket=basket,
        shipping_address=shipping_address,
        shipping_method=method,
        shipping_charge=shipping_charge,
        order_total=total,
        billing_address=None,
        request=None,
        status=settings.OSCAR_INITIAL_ORDER_STATUS,
        **order_kwargs,
    )
    source.debit(total.incl_tax, reference=record.intent_id)
    basket.submit()
    logger.info("Order %s placed for PaymentIntent %s", order.number, record.intent_id)
    return order, ""


def _intent_problems(*, record: PaymentIntent, intent: gateway.Intent, total) -> list[str]:
    problems = []
    if intent.currency.lower() != CURRENCY:
        problems.append(f"currency {intent.currency} is not {CURRENCY}")
    if intent.amount != to_cents(total):
        problems.append(f"amount paid S${from_cents(intent.amount)} is not the basket's S${total}")
    if intent.metadata.get("order_number") != record.order_number:
        problems.append("the order number in Stripe's metadata does not match")
    return problems
