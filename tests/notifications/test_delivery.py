"""Sending exactly once: the sent-marker, counted attempts, undeliverable orders."""

import pytest

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
