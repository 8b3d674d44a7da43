"""Stripe's webhook at /payments/stripe/webhook/, with payloads signed in the test.

localstripe never sends charge.refunded, so those events are written here as
Stripe sends them; the PaymentIntents and refunds they name are real ones at
localstripe, which the shop re-reads.
"""

import json
import time
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.payments import intents, placement
from shop.payments.models import PaymentIntent, WebhookEvent
from tests.fixtures.services import wait_until
from tests.fixtures.stripe import signed_event

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

URL = "/payments/stripe/webhook/"
VISA = "4242424242424242"
DECLINED = "4000000000000341"
SECURE = "4000002500003155"


def _event(type_: str, obj: dict, *, event_id: str | None = None) -> str:
    return json.dumps(
        {
            "id": event_id or f"evt_{uuid.uuid4().hex[:16]}",
            "object": "event",
            "type": type_,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    )


def _send(client, payload: str, *, header: str | None = None):
    headers = {} if header == "" else {"HTTP_STRIPE_SIGNATURE": header or signed_event(payload)}
    return client.post(URL, data=payload, content_type="application/json", **headers)


def _paid_without_return(prepared, localstripe, card=VISA) -> PaymentIntent:
    """A patient pays and closes the tab before the shop hears back."""
    record = prepared(("TUI-5", 1))
    localstripe.client.v1.payment_intents.update(
        record.intent_id, params={"payment_method": localstripe.card(card)}
    )
    localstripe.client.v1.payment_intents.confirm(record.intent_id)
    return record


def _succeeded(record: PaymentIntent) -> dict:
    return {"id": record.intent_id, "object": "payment_intent", "status": "succeeded"}


def test_the_webhook_places_the_order_when_the_patient_never_came_back(
    client, prepared, localstripe
):
    record = _paid_without_return(prepared, localstripe)

    response = _send(client, _event("payment_intent.succeeded", _succeeded(record)))

    assert response.status_code == 200
    order = Order.objects.get(number=record.order_number)
    assert order.total_incl_tax == Decimal("398.00")
    assert order.guest_email == "guest@example.com"
    assert order.sources.get().reference == record.intent_id
    assert order.payment_events.get().event_type.code == "settled"
    assert Basket.objects.get(pk=record.basket_id).status == Basket.SUBMITTED


def test_a_tampered_body_is_refused_and_changes_nothing(client, prepared, localstripe):
    record = _paid_without_return(prepared, localstripe)
    payload = _event("payment_intent.succeeded", _succeeded(record))
    header = signed_event(payload)

    response = _send(client, payload.replace('"succeeded"', '"succeeded" '), header=header)

    assert response.status_code == 400
    assert not Order.objects.exists()
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(lambda p: signed_event(p, secret="whsec_someone_else"), id="wrong-secret"),
        pytest.param(lambda p: signed_event(p, timestamp=int(time.time()) - 600), id="stale"),
        pytest.param(lambda p: "", id="missing"),
        pytest.param(lambda p: "t=1,v1=nonsense", id="garbage"),
    ],
)
def test_a_bad_signature_is_refused_and_changes_nothing(client, prepared, localstripe, header):
    record = _paid_without_return(prepared, localstripe)
    payload = _event("payment_intent.succeeded", _succeeded(record))

    response = _send(client, payload, header=header(payload))

    assert response.status_code == 400
    assert not Order.objects.exists()
    assert not WebhookEvent.objects.exists()


def test_a_signature_dated_in_the_future_is_refused_like_a_stale_one(
    client, prepared, localstripe
):
    record = _paid_without_return(prepared, localstripe)
    payload = _event("payment_intent.succeeded", _succeeded(record))

    ahead = signed_event(payload, timestamp=int(time.time()) + 600)

    response = _send(client, payload, header=ahead)

    assert (response.status_code, response.content) == (400, b"bad signature")
    assert not Order.objects.exists()
    assert not WebhookEvent.objects.exists()


def _signed_body(body) -> str:
    return body if isinstance(body, str) else json.dumps(body)


_EVENT = {"id": "evt_malformed", "object": "event", "type": "payment_intent.succeeded"}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("not json at all", id="not-json"),
        pytest.param([], id="list"),
        pytest.param(123, id="number"),
        pytest.param(None, id="null"),
        pytest.param("[" * 100_000 + "]" * 100_000, id="deeply-nested"),
        pytest.param({"data": "x"}, id="data-is-text"),
        pytest.param({"type": "payment_intent.succeeded", "data": {"object": {}}}, id="no-id"),
        pytest.param({"id": "evt_1", "data": {"object": {}}}, id="no-type"),
        pytest.param(_EVENT, id="no-data"),
        pytest.param(_EVENT | {"data": "x"}, id="event-data-is-text"),
        pytest.param(_EVENT | {"data": {"object": []}}, id="object-is-a-list"),
        pytest.param(_EVENT | {"id": 7, "data": {"object": {}}}, id="id-is-a-number"),
        pytest.param(_EVENT | {"data": {"object": {"id": ["pi_1"]}}}, id="intent-id-is-a-list"),
        pytest.param(
            _EVENT | {"type": "charge.refunded", "data": {"object": {"payment_intent": 5}}},
            id="charge-intent-is-a-number",
        ),
    ],
)
def test_a_signed_body_that_is_not_a_stripe_event_is_refused(client, db, localstripe, body):
    payload = _signed_body(body)

    response = _send(client, payload)

    assert (response.status_code, response.content) == (400, b"not a Stripe event")
    assert not WebhookEvent.objects.exists()


def test_a_duplicate_event_is_answered_and_has_no_second_effect(client, prepared, localstripe):
    record = _paid_without_return(prepared, localstripe)
    payload = _event("payment_intent.succeeded", _succeeded(record), event_id="evt_same")

    first = _send(client, payload)
    Order.objects.filter(number=record.order_number).update(status="Processing")
    second = _send(client, payload)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content == b"duplicate"
    assert Order.objects.count() == 1
    assert Order.objects.get().status == "Processing"
    assert WebhookEvent.objects.filter(event_id="evt_same").count() == 1


def test_a_late_failure_event_does_not_undo_a_paid_order(client, prepared, localstripe):
    record = _paid_without_return(prepared, localstripe)
    _send(client, _event("payment_intent.succeeded", _succeeded(record)))

    # An older event arrives last and claims the payment failed.
    stale = {
        "id": record.intent_id,
        "object": "payment_intent",
        "status": "requires_payment_method",
    }
    response = _send(client, _event("payment_intent.payment_failed", stale))

    assert response.status_code == 200
    assert b"ignored" in response.content
    assert Order.objects.count() == 1
    assert Basket.objects.get(pk=record.basket_id).status == Basket.SUBMITTED


def test_a_forged_failure_event_leaves_a_3d_secure_check_in_progress_alone(
    client, prepared, localstripe
):
    record = prepared(("TUI-5", 1))
    intent = intents.payment_intent_confirm(record=record, payment_method=localstripe.card(SECURE))
    assert intent.status == "requires_action"  # the patient is in the bank's box
    forged = {"id": record.intent_id, "object": "payment_intent", "status": "canceled"}

    response = _send(client, _event("payment_intent.payment_failed", forged))

    assert response.status_code == 200
    assert response.content == b"ignored: intent is requires_action"
    assert Basket.objects.get(pk=record.basket_id).status == Basket.FROZEN
    localstripe.authenticate(record.intent_id, success=True)
    order = placement.order_place_for_intent(intent_id=record.intent_id)
    assert order.total_incl_tax == Decimal("398.00")


def test_a_failure_event_for_an_intent_not_yet_tried_changes_nothing(
    client, prepared, localstripe
):
    record = prepared(("TUI-5", 1))  # the card is on its way: nothing has failed

    untried = {"id": record.intent_id, "object": "payment_intent"}

    response = _send(client, _event("payment_intent.payment_failed", untried))

    assert response.content == b"ignored: intent is requires_payment_method"
    record.refresh_from_db()
    assert record.status == "requires_payment_method"
    assert Basket.objects.get(pk=record.basket_id).status == Basket.FROZEN


def test_a_success_event_for_an_unpaid_intent_places_no_order(client, prepared, localstripe):
    record = prepared(("TUI-5", 1))  # never paid; the event lies about it

    response = _send(client, _event("payment_intent.succeeded", _succeeded(record)))

    assert response.status_code == 200
    assert not Order.objects.exists()


def test_a_failed_payment_gives_the_basket_back(client, prepared, localstripe):
    record = prepared(("TUI-5", 1))
    localstripe.client.v1.payment_intents.update(
        record.intent_id, params={"payment_method": localstripe.card(DECLINED)}
    )
    with pytest.raises(Exception, match="declined"):
        localstripe.client.v1.payment_intents.confirm(record.intent_id)
    failed = {"id": record.intent_id, "object": "payment_intent"}

    response = _send(client, _event("payment_intent.payment_failed", failed))

    assert response.status_code == 200
    record.refresh_from_db()
    assert record.status == "canceled"
    assert Basket.objects.get(pk=record.basket_id).status == Basket.OPEN
    assert not Order.objects.exists()


def test_an_amount_mismatch_places_no_order_and_is_kept_for_staff(client, prepared, localstripe):
    record = _paid_without_return(prepared, localstripe)
    record.basket.lines.update(quantity=2)

    response = _send(client, _event("payment_intent.succeeded", _succeeded(record)))

    assert response.status_code == 200
    assert not Order.objects.exists()
    record.refresh_from_db()
    assert "amount paid S$398.00 is not the basket's S$796.00" in record.problem
    assert WebhookEvent.objects.get().outcome.startswith("not placed")


def test_a_refund_made_in_stripes_dashboard_is_recorded_once(client, paid_order, localstripe):
    intent_id = paid_order.sources.get().reference
    # Made in Stripe's own dashboard, not through the shop.
    refund = localstripe.client.v1.refunds.create(
        params={"payment_intent": intent_id, "amount": 5000}
    )
    charge = {
        "id": "ch_x",
        "object": "charge",
        "payment_intent": intent_id,
        "amount_refunded": 5000,
        "refunds": {"object": "list", "data": [{"id": refund.id, "amount": 5000}]},
    }
    payload = _event("charge.refunded", charge)

    assert _send(client, payload).status_code == 200
    assert _send(client, _event("charge.refunded", charge)).status_code == 200

    paid_order.refresh_from_db()
    assert paid_order.status == "Partially refunded"
    source = paid_order.sources.get()
    assert source.amount_refunded == Decimal("50.00")
    event = paid_order.payment_events.get(event_type__code="refunded")
    assert (event.amount, event.reference) == (Decimal("50.00"), refund.id)


def test_a_refund_event_without_its_list_of_refunds_is_reconciled_from_stripe(
    client, paid_order, localstripe
):
    intent_id = paid_order.sources.get().reference
    refund = localstripe.client.v1.refunds.create(
        params={"payment_intent": intent_id, "amount": 39800}
    )
    # Stripe's API since 2022-11-15 leaves `refunds` out of the charge in the event.
    charge = {"id": "ch_y", "object": "charge", "payment_intent": intent_id, "refunded": True}

    response = _send(client, _event("charge.refunded", charge))

    assert response.content == b"1 refund(s) recorded"
    paid_order.refresh_from_db()
    assert paid_order.status == "Refunded"
    event = paid_order.payment_events.get(event_type__code="refunded")
    assert (event.amount, event.reference) == (Decimal("398.00"), refund.id)


def test_a_refund_event_naming_a_refund_stripe_does_not_have_is_not_recorded(
    client, paid_order, localstripe
):
    charge = {
        "object": "charge",
        "payment_intent": paid_order.sources.get().reference,
        "refunds": {"data": [{"id": "re_made_up", "amount": 39800}]},
    }

    response = _send(client, _event("charge.refunded", charge))

    assert response.status_code == 200
    assert response.content == b"0 refund(s) recorded"
    assert paid_order.sources.get().amount_refunded == Decimal("0.00")


def test_the_webhook_only_takes_posts(client):
    assert client.get(URL).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_the_success_event_and_the_order_is_placed(
    live_server, catalogue, localstripe
):
    """localstripe itself sends the signed event to the running shop about a second later."""
    from tests.payments.conftest import basket_with, services_total

    localstripe.register_webhook(live_server.url + reverse("payments:stripe-webhook"))
    basket = basket_with(("TUI-5", 1))
    record = intents.payment_intent_prepare(
        basket=basket,
        order_number="200001",
        amount=services_total(basket),
        checkout={"guest_email": "late@example.com", "shipping_method": "no-shipping-required"},
    )
    localstripe.client.v1.payment_intents.update(
        record.intent_id, params={"payment_method": localstripe.card(VISA)}
    )
    localstripe.client.v1.payment_intents.confirm(record.intent_id)

    order = wait_until(
        lambda: Order.objects.filter(number="200001").first(), what="the webhook's order"
    )
    assert order.guest_email == "late@example.com"
    event = WebhookEvent.objects.get(type="payment_intent.succeeded", object_id=record.intent_id)
    assert event.outcome == "order 200001"


def test_a_late_failure_of_an_earlier_attempt_leaves_the_new_attempt_alone(
    client, prepared, localstripe
):
    record = prepared(("TUI-5", 1))
    with pytest.raises(intents.PaymentDeclined):
        intents.payment_intent_confirm(record=record, payment_method=localstripe.card(DECLINED))
    intents.payment_intent_fail(record=record)
    basket = Basket.objects.get(pk=record.basket_id)
    basket.freeze()  # the patient tries again at once with another card
    retry = intents.payment_intent_prepare(
        basket=basket,
        order_number=record.order_number,
        amount=record.amount,
        checkout=record.checkout,
    )

    failed = {"id": record.intent_id, "object": "payment_intent"}
    response = _send(client, _event("payment_intent.payment_failed", failed))

    assert response.status_code == 200
    assert Basket.objects.get(pk=basket.pk).status == Basket.FROZEN
    intents.payment_intent_confirm(record=retry, payment_method=localstripe.card(VISA))
    assert placement.order_place_for_intent(intent_id=retry.intent_id).total_incl_tax == 398


def test_stripe_unreachable_during_a_webhook_keeps_the_event_for_the_retry(
    client, prepared, localstripe, settings
):
    from tests.fixtures.services import free_port

    record = _paid_without_return(prepared, localstripe)
    payload = _event("payment_intent.succeeded", _succeeded(record), event_id="evt_retry")
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # Stripe is down

    assert _send(client, payload).status_code == 503
    assert not WebhookEvent.objects.exists()
    assert not Order.objects.exists()

    settings.STRIPE_API_BASE = localstripe.url  # Stripe sends the event again later
    assert _send(client, payload).status_code == 200
    assert Order.objects.get().number == record.order_number
