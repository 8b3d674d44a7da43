"""Booking reserves a session; cancel before/after the cut-off; attended and no-show use it."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from shop.bookings import services
from shop.bookings.models import Booking
from shop.packages.models import CreditEvent
from tests.bookings.conftest import at, credit_for, next_monday


def _book(clinic, credit, start, now):
    return services.booking_create(
        credit_id=credit.pk, practitioner_id=clinic["tan"].pk, start=start, now=now
    )


def test_a_booking_reserves_one_session_and_none_beyond_sessions_left(clinic):
    monday = next_monday()
    credit = credit_for("TUI-1")

    booking = _book(clinic, credit, at(monday, 10), now=at(monday, 7))

    credit.refresh_from_db()
    assert (credit.sessions_left, credit.sessions_reserved) == (1, 1)
    assert booking.end - booking.start == datetime.timedelta(minutes=45)
    assert booking.blocked_until - booking.end == datetime.timedelta(minutes=10)
    with pytest.raises(services.BookingRefused, match="No sessions left"):
        _book(clinic, credit, at(monday, 15), now=at(monday, 7))
    assert Booking.objects.filter(credit=credit).count() == 1


def test_a_taken_time_is_refused_for_another_patient(clinic):
    monday = next_monday()
    _book(clinic, credit_for(), at(monday, 10), now=at(monday, 7))

    with pytest.raises(services.SlotTaken, match="that time was just taken"):
        _book(clinic, credit_for(), at(monday, 10, 30), now=at(monday, 7))


def test_the_database_refuses_overlapping_bookings_of_one_practitioner(clinic):
    monday = next_monday()
    first = _book(clinic, credit_for(), at(monday, 10), now=at(monday, 7))

    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            credit=first.credit,
            practitioner=first.practitioner,
            location=first.location,
            start=first.blocked_until - datetime.timedelta(minutes=1),
            end=first.blocked_until + datetime.timedelta(minutes=44),
            blocked_until=first.blocked_until + datetime.timedelta(minutes=54),
        )
    # Right after the buffer is free.
    _book(
        clinic,
        credit_for(),
        first.blocked_until.replace(minute=0) + datetime.timedelta(hours=1),
        now=at(monday, 7),
    )


def test_cancelling_a_day_ahead_gives_the_session_back(clinic):
    monday = next_monday()
    credit = credit_for()
    booking = _book(clinic, credit, at(monday, 10), now=at(monday - datetime.timedelta(days=3), 9))

    services.booking_cancel(booking_id=booking.pk, now=at(monday - datetime.timedelta(days=1), 10))

    credit.refresh_from_db()
    booking.refresh_from_db()
    assert (booking.status, booking.session_returned) == ("cancelled", True)
    assert (credit.sessions_left, credit.sessions_reserved, credit.sessions_used) == (5, 0, 0)


def test_cancelling_later_than_the_cut_off_uses_the_session(clinic):
    monday = next_monday()
    credit = credit_for()
    booking = _book(clinic, credit, at(monday, 10), now=at(monday - datetime.timedelta(days=3), 9))

    services.booking_cancel(
        booking_id=booking.pk, now=at(monday - datetime.timedelta(days=1), 10, 1)
    )

    credit.refresh_from_db()
    booking.refresh_from_db()
    assert (booking.status, booking.session_returned) == ("cancelled", False)
    assert (credit.sessions_left, credit.sessions_reserved, credit.sessions_used) == (4, 0, 1)
    event = credit.events.get(kind=CreditEvent.Kind.REDEEMED)
    assert event.note.startswith("Late cancellation")


def test_attended_redeems_the_reserved_session_once(clinic, clinic_staff):
    monday = next_monday()
    credit = credit_for()
    booking = _book(clinic, credit, at(monday, 10), now=at(monday, 7))

    services.booking_mark(
        booking_id=booking.pk, status="attended", by=clinic_staff, now=at(monday, 11)
    )
    with pytest.raises(services.BookingRefused, match="attended already"):
        services.booking_mark(booking_id=booking.pk, status="attended", by=clinic_staff)

    credit.refresh_from_db()
    assert (credit.sessions_left, credit.sessions_reserved, credit.sessions_used) == (4, 0, 1)
    event = credit.events.get(kind=CreditEvent.Kind.REDEEMED)
    assert (event.by, event.note.split(":")[0]) == (clinic_staff, "Attended")


def test_a_no_show_uses_the_session(clinic, clinic_staff):
    monday = next_monday()
    credit = credit_for()
    booking = _book(clinic, credit, at(monday, 10), now=at(monday, 7))

    services.booking_mark(
        booking_id=booking.pk, status="no_show", by=clinic_staff, now=at(monday, 11)
    )

    credit.refresh_from_db()
    assert (credit.sessions_left, credit.sessions_reserved) == (4, 0)
    assert credit.events.get(kind="redeemed").note.startswith("No-show")


def test_moving_keeps_the_session_reserved_and_frees_the_old_time(clinic):
    monday = next_monday()
    credit = credit_for()
    booking = _book(clinic, credit, at(monday, 10), now=at(monday - datetime.timedelta(days=3), 9))

    services.booking_move(
        booking_id=booking.pk,
        practitioner_id=clinic["tan"].pk,
        start=at(monday, 10, 15),
        now=at(monday - datetime.timedelta(days=2), 9),
    )

    booking.refresh_from_db()
    credit.refresh_from_db()
    assert booking.start == at(monday, 10, 15) and credit.sessions_reserved == 1
    with pytest.raises(services.BookingRefused, match="moved up to 24 hours"):
        services.booking_move(
            booking_id=booking.pk,
            practitioner_id=clinic["tan"].pk,
            start=at(monday, 15),
            now=at(monday, 7),
        )


def test_no_booking_after_the_credit_is_valid_nor_outside_the_hours(clinic):
    monday = next_monday()
    credit = credit_for()
    credit.valid_until = monday
    credit.save()

    with pytest.raises(services.SlotTaken):
        _book(clinic, credit, at(monday + datetime.timedelta(days=1), 10), now=at(monday, 7))
    with pytest.raises(services.SlotTaken):
        _book(clinic, credit, at(monday, 12, 15), now=at(monday, 7))  # would run into lunch
    credit.refresh_from_db()
    assert credit.sessions_reserved == 0 and not Booking.objects.filter(credit=credit).exists()
