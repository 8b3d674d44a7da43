"""Package reminders: before expiry and at the last session, once each; turned off by a link."""

import datetime
import re

import pytest

from shop.notifications.models import Confirmation
from shop.packages import reminders, services
from tests.factories import paid_order_create
from tests.fixtures.notifications import confirmations_settled

Kind = Confirmation.Kind


def _reminders(smtp_server, email):
    return [m for m in smtp_server.to(email) if "left, valid until" in str(m["Subject"])]


@pytest.mark.django_db(transaction=True)
def test_expiry_reminders_go_once_each_through_the_worker_and_smtp(
    catalogue, celery_worker_process, smtp_server
):
    order = paid_order_create(items=[("TUI-5", 1)], guest_email="mei@example.com")
    credit = order.credits.get()
    first_day = credit.valid_until - datetime.timedelta(days=30)
    second_day = credit.valid_until - datetime.timedelta(days=7)

    assert reminders.credit_expiry_reminders_record(today=first_day - datetime.timedelta(1)) == 0
    assert reminders.credit_expiry_reminders_record(today=first_day) == 1
    assert reminders.credit_expiry_reminders_record(today=first_day + datetime.timedelta(1)) == 0
    assert reminders.credit_expiry_reminders_record(today=second_day) == 1
    assert reminders.credit_expiry_reminders_record(today=second_day) == 0

    confirmations_settled(order)
    sent = _reminders(smtp_server, "mei@example.com")
    assert len(sent) == 2
    valid_until = f"{credit.valid_until:%-d %B %Y}"
    assert all(
        str(m["Subject"]).endswith(
            f"5 sessions of Tuina Acupressure left, valid until {valid_until}"
        )
        for m in sent
    )
    text = sent[0].get_body(preferencelist=("plain",)).get_content()
    assert "/accounts/treatments/" in text and "Turn reminders off:" in text
    assert Confirmation.objects.filter(order=order, status="sent").count() == 4


def test_one_session_left_is_reminded_once(catalogue, clinic_staff):
    credit = paid_order_create(items=[("TUI-5", 1)]).credits.get()

    for _ in range(3):
        services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    assert not Confirmation.objects.filter(kind=Kind.PACKAGE_LAST_SESSION).exists()
    event = services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    services.credit_redemption_undo(event_id=event.pk, by=clinic_staff, reason="wrong one")
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)

    (row,) = Confirmation.objects.filter(kind=Kind.PACKAGE_LAST_SESSION)
    assert (row.order_id, row.reference) == (credit.order_id, credit.code)


def test_the_link_in_a_reminder_turns_reminders_off(client, catalogue):
    credit = paid_order_create(items=[("TUI-5", 1)], guest_email="Mei@example.com").credits.get()
    path = re.sub(r"^https?://[^/]+", "", reminders.reminders_off_url(email=credit.email))

    assert "Turn reminders off" in client.get(path).content.decode()
    assert "Reminders are off" in client.post(path).content.decode()
    assert client.get(path.replace("reminders-off/", "reminders-off/x")).status_code == 404

    today = credit.valid_until - datetime.timedelta(days=7)
    assert reminders.credit_expiry_reminders_record(today=today) == 0
    assert Confirmation.objects.filter(order=credit.order, kind="order_placed").exists()
