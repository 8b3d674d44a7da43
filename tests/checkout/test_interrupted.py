"""A payment left half-way: a database outage during `pay`, or the webhook placing the order."""

from unittest import mock

from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from shop.payments.models import PaymentIntent
from tests.checkout.outages import VISA, outage, pay_during_an_outage
from tests.fixtures.stripe import webhook_succeeded_post

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

SECURE = "4000002500003155"


def test_a_database_outage_during_pay_is_a_503_and_the_patient_can_pay_again(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest()

    response = pay_during_an_outage(shopper, localstripe)

    assert response.status_code == 503
    assert "try again in a moment" in response.json()["error"]
    assert Basket.objects.get().status == Basket.FROZEN
    basket_page = shopper.client.get(reverse("basket:summary"))
    assert basket_page.context["basket"].num_items == 1
    assert "Your basket is back" in basket_page.content.decode()
    assert Basket.objects.get().status == Basket.OPEN
    answer = shopper.pay(localstripe.card(VISA))
    assert answer.json()["redirect"] == reverse("checkout:thank-you")
    assert Order.objects.get().total_incl_tax == 398


def test_a_frozen_basket_the_session_forgot_is_found_by_its_cookie_and_given_back(
    shopper, localstripe
):
    shopper.add("TUI-5")
    shopper.as_guest()
    # The outage lasts: the session cannot be saved either, so the checkout forgets the basket.
    response = pay_during_an_outage(shopper, localstripe, lasting=True)
    assert response.status_code == 503
    assert Basket.objects.get().status == Basket.FROZEN

    page = shopper.client.get(reverse("checkout:payment-details"))

    assert page.status_code == 200
    assert "Pay S$398.00" in page.content.decode()
    assert Basket.objects.get().status == Basket.OPEN


def test_a_paid_payment_interrupted_by_an_outage_leads_to_its_order(shopper, localstripe):
    shopper.add("ACU-5")
    shopper.as_guest()
    shopper.pay(localstripe.card(SECURE))
    localstripe.authenticate(PaymentIntent.objects.get().intent_id, success=True)
    with mock.patch("shop.payments.facade.order_for_payment", outage):
        assert shopper.resume().status_code == 503

    page = shopper.client.get(reverse("basket:summary"), follow=True)

    assert page.redirect_chain[-1][0] == reverse("checkout:thank-you")
    assert Order.objects.get().number in page.content.decode()


def _paid_and_placed_by_the_webhook(shopper, localstripe) -> Order:
    """A patient passes 3-D Secure; Stripe's webhook places the order before they return."""
    shopper.add("ACU-5")
    shopper.as_guest()
    assert shopper.pay(localstripe.card(SECURE)).json()["action"] == "authenticate"
    record = PaymentIntent.objects.get()
    localstripe.authenticate(record.intent_id, success=True)
    webhook_succeeded_post(Client(), record.intent_id)
    return Order.objects.get(number=record.order_number)


def test_coming_back_after_the_webhook_placed_the_order_shows_its_thank_you_page(
    shopper, localstripe
):
    order = _paid_and_placed_by_the_webhook(shopper, localstripe)

    # The return URL after 3-D Secure is the payment page.
    page = shopper.client.get(reverse("checkout:payment-details"), follow=True)

    assert page.redirect_chain[-1][0] == reverse("checkout:thank-you")
    assert f"Your order number is <strong>{order.number}</strong>" in page.content.decode()
    assert Order.objects.count() == 1


def test_the_pay_buttons_answer_after_the_webhook_placed_the_order_is_its_thank_you_page(
    shopper, localstripe
):
    order = _paid_and_placed_by_the_webhook(shopper, localstripe)

    answer = shopper.client.post(reverse("checkout:pay"), {"payment_method": "pm_x", "amount": 1})

    assert answer.json()["redirect"] == reverse("checkout:thank-you")
    page = shopper.client.get(reverse("checkout:thank-you"))
    assert page.context["order"] == order
