"""Booking emails through the real worker and SMTP: an .ics that parses back, one reminder."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from shop.bookings import services
from shop.bookings.tasks import booking_reminders_task
from shop.core.selectors import CLINIC_TZ
from tests.bookings.conftest import at, credit_for, next_monday
from tests.fixtures.services import wait_until


def _to(smtp_server, email, word):
    return [m for m in smtp_server.to(email) if word in str(m["Subject"])]


@pytest.mark.django_db(transaction=True)
def test_confirmation_carries_an_ics_and_the_reminder_goes_once(
    clinic, celery_worker_process, smtp_server, settings
):
    settings.EMAIL_BACKEND = "shop.notifications.backends.OutboxEmailBackend"  # not pytest's
    monday = next_monday()
    credit = credit_for(guest_email="mei@example.com")
    booking = services.booking_create(
        credit_id=credit.pk, practitioner_id=clinic["tan"].pk, start=at(monday, 10, 15)
    )

    message = wait_until(
        lambda: (found := _to(smtp_server, "mei@example.com", "is booked")) and found[0],
        timeout=60,
        what="the booking confirmation",
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Practitioner: Tan" in text and "Time: 10:15" in text
    assert "/book/" in text and "gives the session back" in text
    ics = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == at(monday, 10, 15)
    assert event.decoded("dtend") == at(monday, 11)
    assert "Tan" in str(event["summary"]) and "Tuina Acupressure" in str(event["summary"])
    assert clinic["location"].address in str(event["location"])

    before = booking.start - datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS)
    assert services.booking_reminders_send(now=before - datetime.timedelta(minutes=1)) == 0
    assert services.booking_reminders_send(now=before + datetime.timedelta(minutes=5)) == 1
    assert services.booking_reminders_send(now=before + datetime.timedelta(minutes=15)) == 0
    assert booking_reminders_task.name == "shop.bookings.tasks.booking_reminders_task"
    assert (
        settings.CELERY_BEAT_SCHEDULE["bookings-reminders"]["task"] == booking_reminders_task.name
    )

    reminder = wait_until(
        lambda: (found := _to(smtp_server, "mei@example.com", "Reminder")) and found[0],
        timeout=60,
        what="the reminder",
    )
    assert f"{timezone.localtime(booking.start, CLINIC_TZ):%A %-d %B %Y}" in str(
        reminder["Subject"]
    )
    wait_until(lambda: len(smtp_server.messages) >= 2, timeout=10, what="the emails")
    assert len(_to(smtp_server, "mei@example.com", "Reminder")) == 1
