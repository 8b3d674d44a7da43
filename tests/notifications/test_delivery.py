"""Sending exactly once: the sent-marker, counted attempts, undeliverable orders."""

import pytest

from shop.invoices.rendering import document_render
from shop.notifications import delivery
from shop.notifications.models import Confirmation


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Send this process's emails to the test's SMTP server."""
    settings.SHOP_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    return smtp_server


@pytest.mark.django_db
def test_a_sent_confirmation_is_not_sent_again(place_paid_order, smtp_settings):
    order = place_paid_order(skus={"WP-MOXA": 1}, guest_email="guest@example.com")
    row = Confirmation.objects.get(order=order, kind="order_placed")

    assert delivery.confirmation_send(confirmation_id=row.pk) is True
    assert delivery.confirmation_send(confirmation_id=row.pk) is False

    assert [str(m["To"]) for m in smtp_settings.messages] == ["guest@example.com"]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.recipient) == ("sent", 1, "guest@example.com")


@pytest.mark.django_db
def test_a_refused_attempt_is_counted_and_kept_pending(place_paid_order, smtp_settings):
    order = place_paid_order(skus={"WP-MOXA": 1}, guest_email="guest@example.com")
    row = Confirmation.objects.get(order=order, kind="order_placed")
    smtp_settings.refuse_next = 1

    with pytest.raises(Exception, match="Try again later"):
        delivery.confirmation_send(confirmation_id=row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "SMTP 451: Try again later"
    # No CommunicationEvent for an email that was not delivered.
    assert not order.communication_events.exists()
    assert smtp_settings.messages == []


@pytest.mark.django_db
def test_an_order_without_email_address_fails_for_staff_to_see(place_paid_order, smtp_settings):
    order = place_paid_order(skus={"TUI-1": 1}, guest_email="")
    row = Confirmation.objects.get(order=order, kind="order_placed")

    with pytest.raises(delivery.ConfirmationUndeliverable):
        delivery.confirmation_send(confirmation_id=row.pk)
    delivery.confirmation_fail(confirmation_id=row.pk, error="no email address")

    row.refresh_from_db()
    assert row.status == "failed"
    assert smtp_settings.messages == []


def _both(order) -> list[int]:
    rows = Confirmation.objects.filter(order=order).order_by("pk")
    return [rows.get(kind="order_placed").pk, rows.get(kind="clinic_order").pk]


@pytest.mark.django_db
def test_one_task_sends_the_patient_and_the_clinic_reading_the_order_once(
    place_paid_order, smtp_settings, settings, django_assert_max_num_queries
):
    settings.CLINIC_ORDERS_EMAIL = "orders@clinic.example"
    order = place_paid_order(skus={"TUI-5": 1, "WP-MOXA": 1}, guest_email="tan@example.com")
    patient, clinic = _both(order)
    credit = order.credits.get()
    invoice = order.documents.get()
    document_render(document_id=invoice.pk)  # as the render task would have

    # One email alone, then both: the second email reuses the first one's reads.
    other = place_paid_order(skus={"TUI-5": 1, "WP-MOXA": 1}, guest_email="lim@example.com")
    document_render(document_id=other.documents.get().pk)
    with django_assert_max_num_queries(40) as alone:
        delivery.confirmation_send(confirmation_id=_both(other)[0])
    # The clinic's copy: its row's lock and marks, the email type, the CommunicationEvent.
    with django_assert_max_num_queries(len(alone) + 8):
        assert delivery.confirmations_send(confirmation_ids=[patient, clinic]) == 2

    to_patient = smtp_settings.to("tan@example.com")
    to_clinic = smtp_settings.to("orders@clinic.example")
    assert len(to_patient) == 1 and len(to_clinic) == 1
    # Each email shows this order's own credit code, not the other order's.
    text = to_patient[0].get_body(preferencelist=("plain",)).get_content()
    html = to_patient[0].get_body(preferencelist=("html",)).get_content()
    assert credit.code in text and "data:image/png;base64," in html
    assert other.number not in text and other.credits.get().code not in text + html
    assert order.number in to_clinic[0]["Subject"]
    assert [part.get_filename() for part in to_patient[0].iter_attachments()] == [
        f"{invoice.number}.pdf"
    ]
    statuses = Confirmation.objects.filter(pk__in=[patient, clinic]).values_list(
        "status", "attempts"
    )
    assert sorted(statuses) == [("sent", 1), ("sent", 1)]


@pytest.mark.django_db
def test_one_refused_email_of_the_two_leaves_the_other_sent_and_is_retried_alone(
    place_paid_order, smtp_settings, settings
):
    settings.CLINIC_ORDERS_EMAIL = "orders@clinic.example"
    order = place_paid_order(skus={"WP-MOXA": 1}, guest_email="tan@example.com")
    patient, clinic = _both(order)
    smtp_settings.refuse_next = 1  # the patient's, sent first

    with pytest.raises(Exception, match="Try again later"):
        delivery.confirmations_send(confirmation_ids=[patient, clinic])
    rows = {row.kind: row for row in Confirmation.objects.filter(order=order)}
    assert (rows["order_placed"].status, rows["order_placed"].attempts) == ("pending", 1)
    assert (rows["clinic_order"].status, rows["clinic_order"].attempts) == ("sent", 1)

    # The task's retry: the clinic's copy is not sent a second time.
    assert delivery.confirmations_send(confirmation_ids=[patient, clinic]) == 1
    assert len(smtp_settings.to("tan@example.com")) == 1
    assert len(smtp_settings.to("orders@clinic.example")) == 1
