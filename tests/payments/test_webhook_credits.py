"""Package credits through Stripe's signed webhook: disputes freeze them, refunds flag them.

localstripe keeps no disputes and never sends dispute events, so the events are
written here as Stripe sends them and signed with the webhook's secret. Offline,
the shop cannot re-read a dispute from Stripe: the signed event's ids and status
are what it has. The PaymentIntent and charge they name are real ones at localstripe.
"""

import json
import time
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from shop.packages import services
from shop.packages.models import PackageCredit
from shop.packages.services import CreditRefused
from shop.payments.models import WebhookEvent
from tests.fixtures.stripe import signed_event

URL = "/payments/stripe/webhook/"
SESSIONS = "/dashboard/sessions/"


def _send(client, type_: str, obj: dict, *, event_id: str | None = None):
    payload = json.dumps(
        {
            "id": event_id or f"evt_{uuid.uuid4().hex[:16]}",
            "object": "event",
            "type": type_,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    )
    return client.post(
        URL,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signed_event(payload),
    )


def _dispute(order, *, status: str = "needs_response", by_charge: bool = False) -> dict:
    intent_id = order.sources.get().reference
    dispute = {
        "id": "dp_test_1",
        "object": "dispute",
        "amount": 39800,
        "currency": "sgd",
        "reason": "fraudulent",
        "status": status,
    }
    if by_charge:
        return dispute | {"charge": _charge_id(intent_id), "payment_intent": None}
    return dispute | {"charge": "ch_unread", "payment_intent": intent_id}


def _charge_id(intent_id: str) -> str:
    from shop.payments import gateway

    intent = gateway.client().v1.payment_intents.retrieve(intent_id).to_dict()
    charge = intent["latest_charge"]
    return charge["id"] if isinstance(charge, dict) else charge


def test_an_opened_dispute_freezes_the_credits_and_staff_see_why(
    client, paid_order, localstripe, clinic_staff
):
    credit = paid_order.credits.get()

    response = _send(client, "charge.dispute.created", _dispute(paid_order))

    assert response.status_code == 200
    assert response.content == f"order {paid_order.number}: 1 credit(s) frozen".encode()
    credit.refresh_from_db()
    assert credit.status == PackageCredit.Status.FROZEN
    with pytest.raises(CreditRefused, match="frozen .*dp_test_1.*while a dispute is open"):
        services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    client.force_login(clinic_staff)
    page = client.get(SESSIONS, {"q": credit.code}).content.decode()
    assert "Payment dispute dp_test_1 opened (fraudulent) for S$398.00" in page
    assert credit.events.filter(kind="frozen").count() == 1


def test_a_dispute_found_by_its_charge_alone_freezes_the_credits(client, paid_order, localstripe):
    response = _send(client, "charge.dispute.created", _dispute(paid_order, by_charge=True))

    assert response.status_code == 200
    assert paid_order.credits.get().status == PackageCredit.Status.FROZEN


def test_a_won_dispute_unfreezes_and_redemption_works_again(
    client, paid_order, localstripe, clinic_staff
):
    _send(client, "charge.dispute.created", _dispute(paid_order))

    response = _send(client, "charge.dispute.closed", _dispute(paid_order, status="won"))

    assert b"dispute won, 1 credit(s) unfrozen" in response.content
    credit = paid_order.credits.get()
    assert (credit.status, credit.frozen_reason) == (PackageCredit.Status.ACTIVE, "")
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    assert PackageCredit.objects.get(pk=credit.pk).sessions_left == 4


def test_a_lost_dispute_refunds_the_unused_sessions_in_the_books(
    client, paid_order, localstripe, clinic_staff
):
    credit = paid_order.credits.get()
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    _send(client, "charge.dispute.created", _dispute(paid_order))

    response = _send(client, "charge.dispute.closed", _dispute(paid_order, status="lost"))

    assert b"dispute lost, 1 credit(s) refunded" in response.content
    credit.refresh_from_db()
    assert (credit.status, credit.sessions_used, credit.sessions_refunded) == ("refunded", 1, 4)
    refunded = credit.events.get(kind="refunded")
    # 5 sessions for S$398.00: S$79.60 each, the 4 unused ones S$318.40.
    assert (str(refunded.amount), refunded.reference) == ("-318.40", "dp_test_1")
    # The money went with the dispute: no refund was asked of Stripe.
    intent_id = paid_order.sources.get().reference
    assert not localstripe.client.v1.refunds.list(params={"payment_intent": intent_id}).data


def test_a_dispute_event_is_processed_once(client, paid_order, localstripe):
    first = _send(client, "charge.dispute.created", _dispute(paid_order), event_id="evt_dp")
    credit = paid_order.credits.get()
    second = _send(client, "charge.dispute.created", _dispute(paid_order), event_id="evt_dp")

    assert (first.status_code, second.status_code, second.content) == (200, 200, b"duplicate")
    assert credit.events.filter(kind="frozen").count() == 1
    assert WebhookEvent.objects.filter(event_id="evt_dp").count() == 1


def test_a_dispute_for_a_payment_the_shop_does_not_know_changes_nothing(
    client, paid_order, localstripe
):
    unknown = _dispute(paid_order) | {"payment_intent": "pi_not_ours"}

    response = _send(client, "charge.dispute.created", unknown)

    assert response.content == b"no order for this dispute"
    assert paid_order.credits.get().status == PackageCredit.Status.ACTIVE


def test_a_malformed_dispute_event_is_refused_and_not_kept(client, paid_order, localstripe):
    for broken in (
        _dispute(paid_order) | {"payment_intent": 5},
        _dispute(paid_order) | {"id": None},
        _dispute(paid_order) | {"amount": "398"},
    ):
        response = _send(client, "charge.dispute.created", broken)
        assert (response.status_code, response.content) == (400, b"not a Stripe event")
    assert not WebhookEvent.objects.exists()
    assert paid_order.credits.get().status == PackageCredit.Status.ACTIVE


def test_an_unsigned_dispute_event_is_refused(client, paid_order, localstripe):
    payload = json.dumps(
        {"id": "evt_x", "type": "charge.dispute.created", "data": {"object": _dispute(paid_order)}}
    )

    response = client.post(
        reverse("payments:stripe-webhook"),
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=forged",
    )

    assert response.status_code == 400
    assert paid_order.credits.get().status == PackageCredit.Status.ACTIVE


def test_a_refund_made_in_stripes_dashboard_flags_the_credits_for_staff(
    client, paid_order, localstripe, clinic_staff
):
    intent_id = paid_order.sources.get().reference
    refund = localstripe.client.v1.refunds.create(
        params={"payment_intent": intent_id, "amount": 7960}
    )
    charge = {"id": "ch_z", "object": "charge", "payment_intent": intent_id, "refunded": False}

    assert _send(client, "charge.refunded", charge).content == b"1 refund(s) recorded"

    credit = paid_order.credits.get()
    assert credit.flagged_reason.startswith(f"S$79.60 refunded on the order ({refund.id})")
    assert credit.sessions_left == 5  # staff apply it to sessions on the Sessions page
    client.force_login(clinic_staff)
    assert refund.id in client.get(SESSIONS).content.decode()


def test_an_order_placed_by_the_webhook_alone_gives_its_credit_the_patients_name_and_phone(
    client, catalogue, localstripe
):
    from oscar.core.loading import get_class

    from shop.payments import facade, intents
    from tests.payments.conftest import basket_with, services_total

    basket = basket_with(("TUI-5", 1))
    checkout = facade.checkout_details(
        user=AnonymousUser(),
        guest_email="late@example.com",
        shipping_address=None,
        shipping_method_code=get_class("shipping.methods", "NoShippingRequired").code,
        patient={"name": "Tan Mei Ling", "phone": "+6591234567"},
    )
    record = intents.payment_intent_prepare(
        basket=basket, order_number="300001", amount=services_total(basket), checkout=checkout
    )
    # The patient pays and closes the tab: only Stripe's event tells the shop.
    localstripe.client.v1.payment_intents.update(
        record.intent_id, params={"payment_method": localstripe.card("4242424242424242")}
    )
    localstripe.client.v1.payment_intents.confirm(record.intent_id)
    intent = {"id": record.intent_id, "object": "payment_intent", "status": "succeeded"}

    assert _send(client, "payment_intent.succeeded", intent).content == b"order 300001"

    credit = PackageCredit.objects.get(order__number="300001")
    assert (credit.email, credit.name, credit.phone) == (
        "late@example.com",
        "Tan Mei Ling",
        "+6591234567",
    )
