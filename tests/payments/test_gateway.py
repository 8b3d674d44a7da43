"""The Stripe client against a real localstripe process."""

import pytest

from shop.payments import gateway


def _intent(amount=39800):
    return gateway.intent_create(
        amount=amount,
        currency="sgd",
        metadata={"basket_id": "1", "order_number": "100001"},
        idempotency_key="test-key",
    )


def test_a_4242_card_pays(localstripe):
    intent = _intent()
    gateway.intent_update(intent_id=intent.id, payment_method=localstripe.card("4242424242424242"))

    paid = gateway.intent_confirm(intent_id=intent.id)

    assert paid.status == "succeeded"
    again = gateway.intent_retrieve(intent_id=intent.id)
    assert (again.amount, again.currency, again.metadata["order_number"]) == (
        39800,
        "sgd",
        "100001",
    )


def test_the_0341_card_is_declined(localstripe):
    intent = _intent()
    gateway.intent_update(intent_id=intent.id, payment_method=localstripe.card("4000000000000341"))

    with pytest.raises(gateway.CardError) as declined:
        gateway.intent_confirm(intent_id=intent.id)

    assert declined.value.code == "card_declined"
    assert gateway.intent_retrieve(intent_id=intent.id).status == "requires_payment_method"


def test_the_3155_card_asks_for_3d_secure(localstripe):
    intent = _intent()
    gateway.intent_update(intent_id=intent.id, payment_method=localstripe.card("4000002500003155"))

    pending = gateway.intent_confirm(intent_id=intent.id)
    assert pending.status == "requires_action"

    localstripe.authenticate(intent.id, success=True)
    assert gateway.intent_retrieve(intent_id=intent.id).status == "succeeded"


def test_a_partial_refund_is_made(localstripe):
    intent = _intent()
    gateway.intent_update(intent_id=intent.id, payment_method=localstripe.card("4242424242424242"))
    gateway.intent_confirm(intent_id=intent.id)

    refund = gateway.refund_create(intent_id=intent.id, amount=1000, idempotency_key="r1")

    assert refund.amount == 1000
    assert gateway.refund_retrieve(refund_id=refund.id).intent_id == intent.id


def test_stripe_js_comes_from_localstripe_offline(localstripe, settings):
    assert gateway.js_url() == f"{localstripe.url}/js.stripe.com/v3/"
    settings.STRIPE_API_BASE = ""
    assert gateway.js_url() == "https://js.stripe.com/v3/"
