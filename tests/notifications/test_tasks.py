"""The confirmation task in a real Celery worker on Redis, mailing a real SMTP server."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from oscar.core.loading import get_model

from shop.core.signals import refund_recorded
from tests.fixtures.notifications import confirmations_settled
from tests.fixtures.services import wait_until

CommunicationEvent = get_model("order", "CommunicationEvent")
Email = get_model("communication", "Email")
Order = get_model("order", "Order")
PaymentEventType = get_model("order", "PaymentEventType")


def _to(message) -> str:
    return str(message["To"])


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _emails_to(smtp_server, address: str) -> list:
    return [m for m in smtp_server.messages if _to(m) == address]


def test_placed_order_sends_one_patient_and_one_clinic_email(
    celery_worker_process, smtp_server, place_paid_order, patient
):
    order = place_paid_order(skus={"TUI-5": 1}, user=patient)

    smtp_server.wait_for(2)
    rows = confirmations_settled(order)

    assert {row.status for row in rows} == {"sent"}
    assert len(smtp_server.messages) == 2
    (to_patient,) = _emails_to(smtp_server, "patient@example.com")
    (to_clinic,) = _emails_to(smtp_server, settings.CLINIC_ORDERS_EMAIL)
    assert order.number in to_patient["Subject"]
    assert order.number in to_clinic["Subject"]
    # The package's sessions and valid-until date (180 days for TUI-5, Singapore date).
    placed_sg = order.date_placed.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    valid_until = (placed_sg.date() + datetime.timedelta(days=180)).strftime("%-d %B %Y")
    for body in (_text(to_patient), _html(to_patient)):
        assert "5 sessions of 45 minutes" in body
        assert f"valid until {valid_until}" in body
        assert settings.CLINIC_BOOKING_URL in body
    assert "5 sessions of 45 minutes" in _text(to_clinic)
    # Through Oscar's communication framework: the order records both emails.
    codes = set(
        CommunicationEvent.objects.filter(order=order).values_list("event_type__code", flat=True)
    )
    assert codes == {"ORDER_PLACED", "CLINIC_ORDER_PLACED"}
    # A signed-in patient finds the email in their account's email history.
    assert Email.objects.filter(user=patient, subject=to_patient["Subject"]).count() == 1


def test_smtp_refusals_are_retried_and_delivered_once(
    celery_worker_process, smtp_server, place_paid_order
):
    smtp_server.refuse_next = 2
    order = place_paid_order(skus={"ACU-5": 1}, guest_email="guest@example.com")

    rows = confirmations_settled(order)

    assert {row.status for row in rows} == {"sent"}
    assert smtp_server.refused == 2
    assert sum(row.attempts for row in rows) == 4
    assert len(_emails_to(smtp_server, "guest@example.com")) == 1
    assert len(_emails_to(smtp_server, settings.CLINIC_ORDERS_EMAIL)) == 1
    assert len(smtp_server.messages) == 2


def test_worker_killed_before_acknowledging_sends_no_second_email(
    start_worker, smtp_server, place_paid_order
):
    # The test-only hook (tests/fixtures/worker_crash.py) makes the worker kill itself
    # (SIGKILL) right after its first task sent and marked its emails (the patient's
    # confirmation and the clinic's copy: one task), before it acknowledges the task to Redis.
    crashing = start_worker(SHOP_TEST_CRASH_AFTER_SEND="1")
    order = place_paid_order(skus={"TUI-1": 1}, guest_email="guest@example.com")
    wait_until(lambda: crashing.process.poll() is not None, what="the worker to crash")
    assert len(smtp_server.messages) == 2

    # A new worker gets the unacknowledged task again (short visibility timeout for the test).
    survivor = start_worker(CELERY_VISIBILITY_TIMEOUT="1", CELERY_UNACKED_RESTORE_INTERVAL="1")
    rows = confirmations_settled(order)
    wait_until(lambda: "already sent" in survivor.log, what="the redelivered task")

    assert {row.status for row in rows} == {"sent"}
    assert len(smtp_server.messages) == 2  # none a second time
    assert len(_emails_to(smtp_server, "guest@example.com")) == 1
    assert len(_emails_to(smtp_server, settings.CLINIC_ORDERS_EMAIL)) == 1


def test_refund_sends_a_refund_confirmation(celery_worker_process, smtp_server, place_paid_order):
    order = place_paid_order(skus={"TUI-5": 1, "WP-MOXA": 1}, guest_email="guest@example.com")
    confirmations_settled(order)
    smtp_server.wait_for(2)

    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        source = order.sources.get()
        source.refund(Decimal("100.00"), reference="re_test_partial")
        refunded, _ = PaymentEventType.objects.get_or_create(
            code="refunded", defaults={"name": "Refunded"}
        )
        order.payment_events.create(
            event_type=refunded, amount=Decimal("100.00"), reference="re_test_partial"
        )
        order.set_status("Partially refunded")
        refund_recorded.send(
            sender=Order, order=order, amount=Decimal("100.00"), reference="re_test_partial"
        )

    smtp_server.wait_for(3)
    rows = confirmations_settled(order)

    assert {row.status for row in rows} == {"sent"}
    refund_emails = [m for m in smtp_server.messages if "refund" in m["Subject"].lower()]
    assert len(refund_emails) == 1
    (refund_email,) = refund_emails
    assert _to(refund_email) == "guest@example.com"
    for body in (_text(refund_email), _html(refund_email)):
        assert "S$100.00" in body
        assert "re_test_partial" in body
        assert order.number in body
    assert (
        CommunicationEvent.objects.filter(order=order, event_type__code="ORDER_REFUNDED").count()
        == 1
    )
    assert len(smtp_server.messages) == 3
