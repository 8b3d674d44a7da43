"""A basket's PaymentIntent and the one order it becomes, against a real localstripe process."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from shop.payments import intents, placement
from shop.payments.models import PaymentIntent

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

VISA = "4242424242424242"
DECLINED = "4000000000000341"
SECURE = "4000002500003155"


def test_paying_places_one_order_with_its_stripe_source(prepared, localstripe):
    record = prepared(("TUI-5", 1))
    assert (record.amount, record.currency, record.status) == (
        Decimal("398.00"),
        "SGD",
        "requires_payment_method",
    )

    intent = intents.payment_intent_confirm(record=record, payment_method=localstripe.card(VISA))
    assert intent.status == "succeeded"
    order = placement.order_place_for_intent(intent_id=record.intent_id)

    assert order.number == record.order_number
    assert order.total_incl_tax == Decimal("398.00")
    assert order.status == "Paid"
    assert order.guest_email == "guest@example.com"
    source = order.sources.get()
    assert (source.source_type.name, source.source_type.code) == ("Stripe", "stripe")
    assert (source.reference, source.currency) == (record.intent_id, "SGD")
    assert source.amount_allocated == source.amount_debited == Decimal("398.00")
    event = order.payment_events.get()
    assert (event.event_type.name, event.event_type.code) == ("Settled", "settled")
    assert (event.amount, event.reference) == (Decimal("398.00"), record.intent_id)
    assert Basket.objects.get(pk=record.basket_id).status == Basket.SUBMITTED


def test_placing_twice_gives_the_same_single_order(paid_order):
    record = PaymentIntent.objects.get(order=paid_order)

    again = placement.order_place_for_intent(intent_id=record.intent_id)

    assert again == paid_order
    assert Order.objects.filter(number=paid_order.number).count() == 1


def test_preparing_twice_keeps_one_payment_intent(prepared):
    record = prepared(("TUI-5", 1))
    basket = record.basket

    again = intents.payment_intent_prepare(
        basket=basket,
        order_number=record.order_number,
        amount=record.amount,
        checkout=record.checkout,
    )

    assert again.intent_id == record.intent_id
    assert PaymentIntent.objects.filter(basket=basket).count() == 1


def test_a_declined_card_gives_the_basket_back_and_no_order(prepared, localstripe):
    record = prepared(("TUI-5", 1))

    with pytest.raises(intents.PaymentDeclined, match="declined"):
        intents.payment_intent_confirm(record=record, payment_method=localstripe.card(DECLINED))
    intents.payment_intent_fail(record=record)

    record.refresh_from_db()
    assert record.status == "canceled"
    assert Basket.objects.get(pk=record.basket_id).status == Basket.OPEN
    assert not Order.objects.filter(number=record.order_number).exists()


def test_after_a_decline_the_next_card_pays_on_a_new_intent(prepared, localstripe):
    record = prepared(("TUI-5", 1))
    with pytest.raises(intents.PaymentDeclined):
        intents.payment_intent_confirm(record=record, payment_method=localstripe.card(DECLINED))
    basket = Basket.objects.get(pk=record.basket_id)
    basket.freeze()

    retry = intents.payment_intent_prepare(
        basket=basket,
        order_number=record.order_number,
        amount=record.amount,
        checkout=record.checkout,
    )
    intents.payment_intent_confirm(record=retry, payment_method=localstripe.card(VISA))
    order = placement.order_place_for_intent(intent_id=retry.intent_id)

    assert retry.intent_id != record.intent_id
    assert order.sources.get().reference == retry.intent_id


def test_3d_secure_passed_places_the_order(prepared, localstripe):
    record = prepared(("ACU-5", 1))
    intent = intents.payment_intent_confirm(record=record, payment_method=localstripe.card(SECURE))
    assert intent.status == "requires_action"
    with pytest.raises(placement.PaymentNotCompleted):
        placement.order_place_for_intent(intent_id=record.intent_id)

    localstripe.authenticate(record.intent_id, success=True)
    order = placement.order_place_for_intent(intent_id=record.intent_id)

    assert order.total_incl_tax == Decimal("355.00")


def test_3d_secure_failed_places_no_order(prepared, localstripe):
    record = prepared(("ACU-5", 1))
    intents.payment_intent_confirm(record=record, payment_method=localstripe.card(SECURE))

    localstripe.authenticate(record.intent_id, success=False)

    with pytest.raises(placement.PaymentNotCompleted):
        placement.order_place_for_intent(intent_id=record.intent_id)
    intents.payment_intent_fail(record=record)
    assert Basket.objects.get(pk=record.basket_id).status == Basket.OPEN
    assert not Order.objects.exists()


def test_an_amount_that_does_not_match_places_no_order_and_tells_staff(prepared, localstripe):
    record = prepared(("TUI-5", 1))
    # The basket changed behind the payment's back: one more package than was paid for.
    record.basket.lines.update(quantity=2)
    intents.payment_intent_confirm(record=record, payment_method=localstripe.card(VISA))

    with pytest.raises(placement.PaymentMismatch, match="amount paid S\\$398.00"):
        placement.order_place_for_intent(intent_id=record.intent_id)

    record.refresh_from_db()
    assert "S$796.00" in record.problem
    assert record.order is None
    assert not Order.objects.exists()
