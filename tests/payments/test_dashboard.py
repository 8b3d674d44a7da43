"""The dashboard's payments: refunds from an order's page, payments that did not become one."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shop.payments import intents, placement

VISA = "4242424242424242"


def _detail(client, order):
    return client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))


def _refund_url(order) -> str:
    return reverse("payments-dashboard:payments-order-refund", kwargs={"number": order.number})


def _refund(client, order, amount):
    return client.post(
        _refund_url(order),
        {"amount": amount},
        follow=True,
    )


def test_staff_refund_part_of_an_order_from_its_dashboard_page(client, clinic_staff, paid_order):
    client.force_login(clinic_staff)
    page = _detail(client, paid_order).content.decode()
    assert 'id="refund-form"' in page
    assert 'id="refundable">S$398.00' in page

    response = _refund(client, paid_order, "120.50")

    html = response.content.decode()
    assert "Refunded S$120.50 through Stripe." in html
    assert 'id="refunded-total">S$120.50' in html
    assert 'id="refundable">S$277.50' in html
    paid_order.refresh_from_db()
    assert paid_order.status == "Partially refunded"


def test_an_amount_typed_in_e_notation_is_confirmed_in_dollars_and_cents(
    client, clinic_staff, paid_order
):
    client.force_login(clinic_staff)

    response = _refund(client, paid_order, "1e2")

    html = response.content.decode()
    assert "Refunded S$100.00 through Stripe." in html
    assert "1E+2" not in html
    assert paid_order.sources.get().amount_refunded == Decimal("100.00")


def test_staff_refund_the_rest_and_the_order_is_refunded(client, clinic_staff, paid_order):
    client.force_login(clinic_staff)
    _refund(client, paid_order, "100.00")

    response = _refund(client, paid_order, "298.00")

    html = response.content.decode()
    assert 'id="refunded-total">S$398.00' in html
    assert 'id="refund-form"' not in html  # nothing left to refund
    paid_order.refresh_from_db()
    assert paid_order.status == "Refunded"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("398.01", "At most S$398.00 can still be refunded."),
        ("0", "Ensure this value is greater than or equal to 0.01."),
        ("-5", "Ensure this value is greater than or equal to 0.01."),
        ("lots", "Enter a number."),
        ("", "This field is required."),
    ],
)
def test_a_bad_refund_amount_is_refused_with_a_message(
    client, clinic_staff, paid_order, amount, message
):
    client.force_login(clinic_staff)

    response = _refund(client, paid_order, amount)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert paid_order.sources.get().amount_refunded == Decimal("0.00")
    assert not paid_order.payment_events.filter(event_type__code="refunded").exists()


def test_an_over_refund_names_the_limit(client, clinic_staff, paid_order):
    client.force_login(clinic_staff)
    _refund(client, paid_order, "300.00")

    response = _refund(client, paid_order, "98.01")

    assert "At most S$98.00 can still be refunded." in response.content.decode()
    assert paid_order.sources.get().amount_refunded == Decimal("300.00")


def test_accountants_see_the_payment_but_cannot_refund(client, accountant, paid_order):
    client.force_login(accountant)
    page = _detail(client, paid_order)
    assert page.status_code == 200
    assert 'id="refund-form"' not in page.content.decode()

    response = client.post(_refund_url(paid_order), {"amount": "10"})

    assert response.status_code == 403
    assert paid_order.sources.get().amount_refunded == Decimal("0.00")


def test_patients_and_visitors_cannot_refund(client, patient, paid_order):
    url = _refund_url(paid_order)
    assert client.post(url, {"amount": "10"}).status_code == 302  # to the login page
    client.force_login(patient)
    assert client.post(url, {"amount": "10"}).status_code == 403
    assert paid_order.sources.get().amount_refunded == Decimal("0.00")


def test_refunding_an_unknown_order_is_not_found(client, clinic_staff):
    client.force_login(clinic_staff)
    url = reverse("payments-dashboard:payments-order-refund", kwargs={"number": "999999"})
    assert client.post(url, {"amount": "10"}).status_code == 404


def test_staff_see_payments_that_did_not_become_orders(
    client, clinic_staff, patient, prepared, localstripe
):
    record = prepared(("TUI-5", 1))
    intents.payment_intent_confirm(record=record, payment_method=localstripe.card(VISA))
    record.basket.lines.update(quantity=2)
    with pytest.raises(placement.PaymentMismatch):
        placement.order_place_for_intent(intent_id=record.intent_id)

    client.force_login(patient)
    assert client.get(reverse("payments-dashboard:payments-problem-list")).status_code == 403
    client.force_login(clinic_staff)
    page = client.get(reverse("payments-dashboard:payments-problem-list")).content.decode()

    assert record.intent_id in page
    assert "amount paid S$398.00 is not the basket&#x27;s S$796.00" in page
