"""The order event handler (shop/order/processing.py): refunds are what Stripe made."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from shop.core.signals import refund_recorded
from shop.payments import refunds

pytestmark = pytest.mark.django_db

PaymentEventType = get_model("order", "PaymentEventType")
EventHandler = get_class("order.processing", "EventHandler")


@pytest.fixture
def order(place_paid_order):
    return place_paid_order(skus={"TUI-5": 1})


def test_a_refund_typed_into_oscars_payment_event_form_is_refused(client, clinic_staff, order):
    PaymentEventType.objects.get_or_create(code="refunded", defaults={"name": "Refunded"})
    seen = []
    receiver = lambda sender, **kwargs: seen.append(kwargs["amount"])  # noqa: E731
    refund_recorded.connect(receiver)
    client.force_login(clinic_staff)
    try:
        response = client.post(
            reverse("dashboard:order-detail", kwargs={"number": order.number}),
            {
                "order_action": "create_order_payment_event",
                "payment_event_type": "refunded",
                "amount": "100.00",
            },
            follow=True,
        )
    finally:
        refund_recorded.disconnect(receiver)

    assert "Refunds are made through Stripe" in response.content.decode()
    assert not order.payment_events.filter(event_type__code="refunded").exists()
    assert order.sources.get().amount_refunded == Decimal("0.00")
    assert seen == []


def test_a_refund_from_stripe_is_recorded_by_the_handler_once(order):
    assert refunds.refund_record(order=order, amount=Decimal("98.00"), reference="re_a")
    assert not refunds.refund_record(order=order, amount=Decimal("98.00"), reference="re_a")

    order.refresh_from_db()
    assert order.status == "Partially refunded"
    assert order.sources.get().amount_refunded == Decimal("98.00")
    event = order.payment_events.get(event_type__code="refunded")
    assert (event.amount, event.reference) == (Decimal("98.00"), "re_a")
    assert EventHandler.__module__ == "shop.order.processing"
