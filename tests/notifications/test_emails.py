"""The confirmation emails as the patient and the clinic receive them, sent by a real worker."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction

from shop.core.money import order_gst
from shop.notifications import delivery, selectors
from shop.notifications.models import Confirmation
from shop.payments import refunds as payments_refunds
from tests.fixtures.notifications import confirmations_settled
from tests.fixtures.services import wait_until

ORDERS = {
    "products only": {"WP-MOXA": 2, "WP-HEAT": 1},
    "services only": {"TUI-5": 1, "ACU-1": 2},
    "mixed": {"FEM-5": 1, "WP-KNEE": 1},
}


def _parts(message) -> tuple[str, str]:
    # The patient's email also carries the tax document (multipart/mixed); the clinic's not.
    assert message.get_content_type() in ("multipart/alternative", "multipart/mixed")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


@pytest.fixture
def delivered(celery_worker_process, smtp_server, place_paid_order):
    """Place the three kinds of order as guests; return (order, patient email, clinic email)."""
    orders = {
        kind: place_paid_order(skus=skus, guest_email=f"{kind.replace(' ', '-')}@example.com")
        for kind, skus in ORDERS.items()
    }
    for order in orders.values():
        rows = confirmations_settled(order)
        assert {row.status for row in rows} == {"sent"}, [row.last_error for row in rows]
    assert len(smtp_server.messages) == 6
    result = {}
    for kind, order in orders.items():
        (to_patient,) = [m for m in smtp_server.messages if str(m["To"]) == order.guest_email]
        (to_clinic,) = [
            m
            for m in smtp_server.messages
            if str(m["To"]) == settings.CLINIC_ORDERS_EMAIL and order.number in m["Subject"]
        ]
        result[kind] = (order, to_patient, to_clinic)
    return result


def test_every_email_has_text_and_html_with_the_totals_and_gst(delivered):
    for order, to_patient, to_clinic in delivered.values():
        gst = order_gst(order=order)
        total = f"S${order.total_incl_tax:,.2f}"
        for message in (to_patient, to_clinic):
            text, html = _parts(message)
            assert f"Includes GST (9%): S${gst:.2f}" in text
            assert f"S${gst:.2f}" in html and "Includes GST (9%)" in html
            assert f"Total paid: {total}" in text
            assert order.sources.get().reference in text
            for body in (text, html):
                assert order.number in body
                assert "None" not in body
                assert "{{" not in body and "{%" not in body
                for line in order.lines.all():
                    assert line.title in body


def test_patient_email_has_the_link_contact_details_and_disclaimer(delivered):
    for order, to_patient, _ in delivered.values():
        text, html = _parts(to_patient)
        order_url = selectors.order_absolute_url(order=order)
        assert order_url.startswith(settings.SITE_URL)
        assert order_url in text and order_url in html
        for body in (text, html):
            assert settings.CLINIC_PHONE in body
            assert settings.CLINIC_EMAIL in body
            assert "Medical disclaimer" in body


def test_services_only_order_tells_how_to_book_and_has_no_delivery(delivered):
    order, to_patient, _ = delivered["services only"]
    text, html = _parts(to_patient)

    for body in (text, html):
        assert "Booking your first session" in body
        # The shop has no booking page: without CLINIC_BOOKING_URL the email sends no dead link.
        assert "/booking/" not in body and "Book online" not in body
        assert (
            f"us on {settings.CLINIC_PHONE}" in body.replace("\n", " ") or "calling us on" in body
        )
        assert "5 sessions of 45 minutes" in body
        assert "1 session of 45 minutes" in body
        assert "Delivery" not in body
    for line in selectors.order_confirmation_lines(order=order):
        assert f"valid until {line.valid_until:%-d %B %Y}" in text


def test_products_only_order_shows_delivery_and_no_booking(delivered):
    order, to_patient, to_clinic = delivered["products only"]
    text, html = _parts(to_patient)

    for body in (text, html, _parts(to_clinic)[0]):
        assert "12 Tanjong Pagar Road" in body
        assert "088443" in body
        assert "Standard delivery (2 to 4 working days)" in body
    for body in (text, html):
        assert "Booking your first session" not in body
        assert "valid until" not in body


def test_mixed_order_has_both_booking_and_delivery(delivered):
    order, to_patient, _ = delivered["mixed"]
    text, html = _parts(to_patient)

    (package,) = [
        line for line in selectors.order_confirmation_lines(order=order) if line.is_package
    ]
    for body in (text, html):
        assert "Booking your first session" in body
        assert f"valid until {package.valid_until:%-d %B %Y}" in body
        assert "12 Tanjong Pagar Road" in body
        assert "Standard delivery (2 to 4 working days)" in body


@pytest.mark.django_db
def test_a_clinic_with_a_booking_page_links_it_and_one_without_says_to_call(
    settings, place_paid_order
):
    order = place_paid_order(skus={"TUI-5": 1}, guest_email="booker@example.com")
    confirmation = Confirmation.objects.get(order=order, kind=Confirmation.Kind.ORDER_PLACED)

    settings.CLINIC_BOOKING_URL = "https://booking.liangyi-tcm.example/"
    with_page = delivery.confirmation_messages(confirmation=confirmation)
    settings.CLINIC_BOOKING_URL = ""
    without_page = delivery.confirmation_messages(confirmation=confirmation)

    assert "Book online at https://booking.liangyi-tcm.example/ or call us on" in with_page["body"]
    assert 'href="https://booking.liangyi-tcm.example/"' in with_page["html"]
    assert (
        f"Call us on {settings.CLINIC_PHONE}, quoting order {order.number}."
        in (without_page["body"])
    )
    assert "Book online" not in without_page["body"]
    assert 'href=""' not in without_page["html"]
    assert "by calling us on" in without_page["html"]


def test_each_refund_email_tells_the_refund_and_the_total_refunded_by_then(
    celery_worker_process, smtp_server, place_paid_order
):
    order = place_paid_order(skus={"TUI-5": 1}, guest_email="refunded@example.com")
    confirmations_settled(order)
    # Two refunds committed together: the first email leaves after the second refund.
    with transaction.atomic():
        payments_refunds.refund_record(order=order, amount=Decimal("100.00"), reference="re_one")
        payments_refunds.refund_record(order=order, amount=Decimal("50.00"), reference="re_two")

    rows = wait_until(
        lambda: [r for r in confirmations_settled(order) if r.kind == "refund"] or None,
        what="the refund confirmations",
    )
    assert {row.status for row in rows} == {"sent"}, [row.last_error for row in rows]
    refunds = {
        reference: [m for m in smtp_server.messages if reference in _parts(m)[0]]
        for reference in ("re_one", "re_two")
    }
    for reference, amount, in_all in (
        ("re_one", "S$100.00", "S$100.00"),
        ("re_two", "S$50.00", "S$150.00"),
    ):
        (message,) = refunds[reference]
        assert str(message["To"]) == "refunded@example.com"
        assert f"refund for your order {order.number}" in message["Subject"]
        text, html = _parts(message)
        assert f"We have refunded {amount} for your order {order.number}" in text
        assert f"Refunded in all: {in_all}" in text
        assert f"<td>Refunded in all</td><td>{in_all}</td>" in html
        assert selectors.order_absolute_url(order=order) in text
