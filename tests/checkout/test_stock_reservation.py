"""Stock is reserved before the card is charged: the last unit is sold once, on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.payments.models import PaymentIntent
from shop.payments.sweep import reservations_sweep
from tests.checkout.conftest import Shopper

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

VISA = "4242424242424242"
DECLINED = "4000000000000341"
SECURE = "4000002500003155"
SCARCE = "WP-GUAS"


def _at_payment_page(client) -> Shopper:
    """A guest with one WP-GUAS in the basket, delivered, on the payment page."""
    shopper = Shopper(client)
    shopper.add(SCARCE)
    shopper.as_guest()
    shopper.ship_to_singapore()
    shopper.choose_shipping("flat-rate")
    return shopper


def _units_left(n: int) -> StockRecord:
    """Leave exactly `n` units of WP-GUAS that may still be sold (net of allocations)."""
    record = StockRecord.objects.get(partner_sku=SCARCE)
    record.num_in_stock = (record.num_allocated or 0) + n
    record.save()
    return record


def _net() -> int:
    return StockRecord.objects.get(partner_sku=SCARCE).net_stock_level


@pytest.mark.django_db(transaction=True)
def test_five_patients_paying_for_the_last_unit_make_one_order_and_four_are_not_charged(
    catalogue, singapore, localstripe
):
    shoppers = [_at_payment_page(Client()) for _ in range(5)]
    allocated = _units_left(1).num_allocated or 0
    cards = [localstripe.card(VISA) for _ in shoppers]
    shown = [shopper.shown_total() for shopper in shoppers]
    start = threading.Barrier(len(shoppers), timeout=60)  # a failing thread must not hang
    answers, lock = [], threading.Lock()

    def pay(shopper, card, amount):
        try:
            start.wait()
            answer = shopper.client.post(
                reverse("checkout:pay"), {"payment_method": card, "amount": amount}
            )
            with lock:
                answers.append(answer)
        finally:
            connection.close()  # each thread had its own connection

    threads = [
        threading.Thread(target=pay, args=args)
        for args in zip(shoppers, cards, shown, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert Order.objects.count() == 1
    assert _net() == 0
    assert StockRecord.objects.get(partner_sku=SCARCE).num_allocated == allocated + 1
    paid = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code != 200]
    assert len(paid) == 1 and paid[0].json()["redirect"] == reverse("checkout:thank-you")
    assert len(refused) == 4
    for answer in refused:
        assert answer.status_code == 409
        assert "no longer in stock" in answer.json()["error"]
        assert answer.json()["redirect"] == reverse("basket:summary")
    # At Stripe, one payment was taken; the others were cancelled before any charge.
    statuses = sorted(
        localstripe.client.v1.payment_intents.retrieve(record.intent_id).status
        for record in PaymentIntent.objects.all()
    )
    assert statuses == ["canceled"] * (len(statuses) - 1) + ["succeeded"]
    # The patients who were too late have their basket back, and are told why.
    late = next(s for s, a in zip(shoppers, answers, strict=False) if a.status_code == 409)
    basket_page = late.client.get(reverse("basket:summary"))
    assert basket_page.context["basket"].status == Basket.OPEN


def test_a_declined_card_gives_the_reserved_unit_back_and_the_order_takes_it_once(
    shopper, localstripe
):
    shopper.add(SCARCE)
    shopper.as_guest()
    shopper.ship_to_singapore()
    shopper.choose_shipping("flat-rate")
    allocated = _units_left(1).num_allocated or 0

    assert shopper.pay(localstripe.card(DECLINED)).status_code == 402
    assert _net() == 1
    assert shopper.pay(localstripe.card(VISA)).status_code == 200

    assert Order.objects.count() == 1
    assert StockRecord.objects.get(partner_sku=SCARCE).num_allocated == allocated + 1
    assert PaymentIntent.objects.get(status="succeeded").reserved_stock == {}


def test_a_payment_never_finished_gives_its_stock_back_after_the_sweep(
    shopper, localstripe, settings
):
    settings.PAYMENT_RESERVATION_MINUTES = 30
    shopper.add(SCARCE)
    shopper.as_guest()
    shopper.ship_to_singapore()
    shopper.choose_shipping("flat-rate")
    _units_left(1)
    answer = shopper.pay(localstripe.card(SECURE))  # the patient closes the 3-D Secure box
    assert answer.json()["action"] == "authenticate"
    assert _net() == 0  # held while the bank asks

    assert reservations_sweep() == 0  # not yet stale
    PaymentIntent.objects.update(reserved_at=timezone.now() - timedelta(minutes=31))
    assert reservations_sweep() == 1

    assert _net() == 1
    record = PaymentIntent.objects.get()
    assert record.reserved_stock == {}
    assert localstripe.client.v1.payment_intents.retrieve(record.intent_id).status == "canceled"
    assert Basket.objects.get(pk=record.basket_id).status == Basket.OPEN
    assert reservations_sweep() == 0  # given back once
