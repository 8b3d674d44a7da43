"""What a confirmation shows, and which confirmations the sweep picks up."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from shop.notifications import selectors
from shop.notifications.models import Confirmation

pytestmark = pytest.mark.django_db


def test_valid_until_counts_from_the_singapore_date_of_the_order(place_paid_order):
    order = place_paid_order(skus={"TUI-5": 1})
    # 17:30 UTC on 31 December is already 1 January in Singapore.
    order.date_placed = datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)
    order.save()

    (line,) = selectors.order_confirmation_lines(order=order)

    assert line.is_package
    assert (line.sessions, line.session_minutes, line.validity_days) == (5, 45, 180)
    assert line.valid_until == datetime.date(2027, 1, 1) + datetime.timedelta(days=180)


def test_products_have_no_package_details(place_paid_order):
    order = place_paid_order(skus={"WP-MOXA": 2})

    details = selectors.order_confirmation_details(order=order)

    (line,) = details["lines"]
    assert not line["is_package"] and line["valid_until"] is None
    assert details["shipping_required"]
    assert "12 Tanjong Pagar Road" in details["shipping_address"]


def test_totals_show_the_gst_part_and_the_payment_reference(place_paid_order):
    order = place_paid_order(skus={"TUI-5": 1})

    details = selectors.order_confirmation_details(order=order)

    # S$398.00 including 9% GST: 398 x 9/109 = 32.86.
    assert details["gst"] == Decimal("32.86")
    assert details["payment_reference"] == order.sources.get().reference
    assert details["payment_reference"].startswith("pi_")


def test_a_guest_gets_the_order_status_link_and_a_patient_the_account_page(
    place_paid_order, patient
):
    guest_order = place_paid_order(skus={"TUI-1": 1}, guest_email="guest@example.com")
    patient_order = place_paid_order(skus={"TUI-1": 1}, user=patient)

    guest_url = selectors.order_absolute_url(order=guest_order)
    patient_url = selectors.order_absolute_url(order=patient_order)

    assert guest_url.startswith(settings.SITE_URL)
    assert guest_order.verification_hash() in guest_url
    assert patient_url == f"{settings.SITE_URL}/accounts/orders/{patient_order.number}/"


def test_the_guest_link_opens_the_order_status_page(place_paid_order, client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    order = place_paid_order(skus={"TUI-1": 1}, guest_email="guest@example.com")
    url = selectors.order_absolute_url(order=order)

    path = url.removeprefix(settings.SITE_URL)

    # Oscar asks the guest for the order's email address first, then shows the order.
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0]
    order_page = client.post(form_url, {"email": "guest@example.com"}, follow=True)

    assert order_page.status_code == 200
    assert order_page.redirect_chain[-1][0] == path
    assert "Tuina Acupressure, 1 session" in order_page.content.decode()


def test_the_sweep_takes_pending_confirmations_after_a_while_only(place_paid_order):
    order = place_paid_order(skus={"TUI-1": 1})
    old = timezone.now() - datetime.timedelta(minutes=10)
    patient_row = Confirmation.objects.get(order=order, kind="order_placed")
    clinic_row = Confirmation.objects.get(order=order, kind="clinic_order")
    due = selectors.confirmations_due

    assert not due(older_than=datetime.timedelta(minutes=5)).exists()

    Confirmation.objects.filter(order=order).update(created_at=old, updated_at=old)
    assert set(due(older_than=datetime.timedelta(minutes=5))) == {patient_row, clinic_row}

    # Just enqueued (by an earlier sweep) or just attempted (being retried): not yet.
    Confirmation.objects.filter(pk=patient_row.pk).update(enqueued_at=timezone.now())
    Confirmation.objects.filter(pk=clinic_row.pk).update(updated_at=timezone.now())
    assert not due(older_than=datetime.timedelta(minutes=5)).exists()
    # Sent or failed: never.
    Confirmation.objects.filter(pk=clinic_row.pk).update(status="sent", updated_at=old)
    assert not due(older_than=datetime.timedelta(minutes=5)).exists()
    Confirmation.objects.filter(pk=patient_row.pk).update(enqueued_at=old, status="failed")
    assert not due(older_than=datetime.timedelta(minutes=5)).exists()
