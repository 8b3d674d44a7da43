"""Baskets and paid orders for the payment tests."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from oscar.core.loading import get_class, get_model

from shop.payments import intents, placement

Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")
NoShippingRequired = get_class("shipping.methods", "NoShippingRequired")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")


def basket_with(*items: tuple[str, int], user=None):
    """Return a frozen basket holding (partner SKU, quantity) items, priced by the shop."""
    basket = Basket.objects.create(owner=user if user and user.is_authenticated else None)
    basket.strategy = Selector().strategy()
    for sku, quantity in items:
        product = StockRecord.objects.get(partner_sku=sku).product
        basket.add_product(product, quantity)
    basket.freeze()
    return basket


def services_total(basket) -> Decimal:
    """Return what a services-only basket costs (no shipping)."""
    charge = NoShippingRequired().calculate(basket)
    return OrderTotalCalculator().calculate(basket, charge).incl_tax


@pytest.fixture
def prepared(catalogue, localstripe):
    """Return a function that freezes a guest's basket and prepares its PaymentIntent."""

    def prepare(*items: tuple[str, int]):
        basket = basket_with(*items)
        return intents.payment_intent_prepare(
            basket=basket,
            order_number=OrderNumberGenerator().order_number(basket),
            amount=services_total(basket),
            checkout={
                "user_id": None,
                "guest_email": "guest@example.com",
                "shipping_address": {},
                "shipping_method": NoShippingRequired.code,
            },
        )

    return prepare


@pytest.fixture
def paid_order(prepared, localstripe):
    """A guest's order for a 5-session Tui Na package, paid with 4242 at localstripe."""
    record = prepared(("TUI-5", 1))
    intents.payment_intent_confirm(
        record=record, payment_method=localstripe.card("4242424242424242")
    )
    return placement.order_place_for_intent(intent_id=record.intent_id)


__all__ = ["AnonymousUser", "basket_with", "services_total"]
