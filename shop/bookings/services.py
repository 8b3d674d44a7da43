"""Writes of bookings: book, move, cancel, attended, no-show.

Every write locks the credit's row first (its `sessions_reserved` counter), then
the booking. On PostgreSQL the exclusion constraint `booking_no_overlap` is the
last word on overlaps; its violation becomes SlotTaken like the check before it.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.bookings import emails
from shop.bookings.models import Booking, Practitioner
from shop.bookings.slots import session_lengths, slot_is_open
from shop.core.selectors import CLINIC_TZ
from shop.packages import services as credit_services
from shop.packages.models import PackageCredit

Status = Booking.Status


class BookingRefused(Exception):
    """The booking or change asked for is not allowed; the message says why."""


class SlotTaken(BookingRefused):
    """The time asked for is no longer open."""

    def __init__(self):
        super().__init__("Sorry, that time was just taken. Please choose another time.")


def credit_treatment_id(*, credit: PackageCredit) -> int | None:
    """Return the treatment (parent product) a credit is for."""
    product = credit.product
    if product is None:
        return None
    return product.parent_id or product.pk


def _actor(user):
    """Return the signed-in user who acts, or None (a guest's link, the system)."""
    return user if user is not None and user.is_authenticated else None


def _lock_credit(credit_id: int) -> PackageCredit:
    return (
        PackageCredit.objects.select_for_update(of=("self",))
        .select_related("product")
        .get(pk=credit_id)
    )


def _lock_booking(booking_id: int) -> tuple[Booking, PackageCredit]:
    credit_id = Booking.objects.values_list("credit_id", flat=True).get(pk=booking_id)
    credit = _lock_credit(credit_id)
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    return booking, credit


def _insert_or_taken(booking: Booking) -> None:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if "booking_no_overlap" in str(error):
            raise SlotTaken() from error
        raise


def before_cutoff(*, booking: Booking, now: datetime.datetime | None = None) -> bool:
    """Return whether cancelling or moving now still gives the session back."""
    now = now or timezone.now()
    return booking.start - now >= datetime.timedelta(hours=settings.BOOKING_CANCEL_HOURS)


def booking_create(
    *,
    credit_id: int,
    practitioner_id: int,
    start: datetime.datetime,
    by=None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book one session of the credit with the practitioner at `start`, or raise BookingRefused."""
    now = now or timezone.now()
    with transaction.atomic():
        credit = _lock_credit(credit_id)
        why = credit_services.refusal(credit, today=timezone.localtime(now, CLINIC_TZ).date())
        if why:
            raise BookingRefused(why.replace("redeemed", "booked").replace("redeem", "book"))
        treatment_id = credit_treatment_id(credit=credit)
        practitioner = Practitioner.objects.filter(pk=practitioner_id, active=True).first()
        if treatment_id is None or practitioner is None:
            raise BookingRefused("This practitioner does not give this treatment.")
        if not slot_is_open(
            treatment_id=treatment_id,
            minutes=credit.session_minutes,
            practitioner_id=practitioner_id,
            start=start,
            valid_until=credit.valid_until,
            now=now,
        ):
            raise SlotTaken()
        session, blocked = session_lengths(minutes=credit.session_minutes)
        booking = Booking(
            credit=credit,
            practitioner=practitioner,
            location_id=practitioner.location_id,
            start=start,
            end=start + session,
            blocked_until=start + blocked,
            booked_by=_actor(by),
        )
        _insert_or_taken(booking)
        credit.sessions_reserved += 1
        credit.save(update_fields=["sessions_reserved", "updated_at"])
        emails.booking_email_send(booking=booking, kind=emails.CONFIRMED)
    return booking


def booking_move(
    *,
    booking_id: int,
    practitioner_id: int,
    start: datetime.datetime,
    by=None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Move a booking to another open time, up to BOOKING_CANCEL_HOURS before it."""
    now = now or timezone.now()
    with transaction.atomic():
        booking, credit = _lock_booking(booking_id)
        if booking.status != Status.BOOKED:
            raise BookingRefused("Only a booked session can be moved.")
        staff = by is not None and by.is_staff
        if not staff and not before_cutoff(booking=booking, now=now):
            hours = settings.BOOKING_CANCEL_HOURS
            raise BookingRefused(
                f"A booking can be moved up to {hours} hours before it; please call the clinic."
            )
        if not slot_is_open(
            treatment_id=credit_treatment_id(credit=credit),
            minutes=credit.session_minutes,
            practitioner_id=practitioner_id,
            start=start,
            valid_until=credit.valid_until,
            now=now,
            exclude_booking_id=booking.pk,
        ):
            raise SlotTaken()
        session, blocked = session_lengths(minutes=credit.session_minutes)
        booking.practitioner = Practitioner.objects.get(pk=practitioner_id)
        booking.location_id = booking.practitioner.location_id
        booking.start, booking.end, booking.blocked_until = start, start + session, start + blocked
        booking.reminder_sent_at = None
        _insert_or_taken(booking)
        emails.booking_email_send(booking=booking, kind=emails.MOVED)
    return booking


def _use_reserved(booking: Booking, credit: PackageCredit, *, by, note: str, now) -> None:
    """Turn the booking's reserved session into a redemption in the credit's history."""
    credit.sessions_reserved -= 1
    credit.save(update_fields=["sessions_reserved", "updated_at"])
    try:
        credit_services.credit_redeem(credit_id=credit.pk, by=by, note=note, at=now)
    except credit_services.CreditRefused as error:
        raise BookingRefused(str(error)) from error


def _when(booking: Booking) -> str:
    return timezone.localtime(booking.start, CLINIC_TZ).strftime("%-d %b %Y %H:%M")


def booking_cancel(*, booking_id: int, by=None, now: datetime.datetime | None = None) -> Booking:
    """Cancel a booking: before the cut-off the session comes back, after it it is used."""
    now = now or timezone.now()
    with transaction.atomic():
        booking, credit = _lock_booking(booking_id)
        if booking.status != Status.BOOKED:
            raise BookingRefused("This booking is not open any more.")
        if before_cutoff(booking=booking, now=now):
            credit.sessions_reserved -= 1
            credit.save(update_fields=["sessions_reserved", "updated_at"])
            booking.session_returned = True
        else:
            note = f"Late cancellation of the booking of {_when(booking)}"
            _use_reserved(booking, credit, by=_actor(by), note=note, now=now)
        booking.status = Status.CANCELLED
        booking.save(update_fields=["status", "session_returned", "updated_at"])
        emails.booking_email_send(booking=booking, kind=emails.CANCELLED)
    return booking


def booking_mark(*, booking_id: int, status: str, by, now: datetime.datetime | None = None):
    """Mark a booking attended or no-show: either uses (redeems) its reserved session once."""
    now = now or timezone.now()
    if status not in (Status.ATTENDED, Status.NO_SHOW):
        raise BookingRefused("Mark a booking attended or no-show.")
    with transaction.atomic():
        booking, credit = _lock_booking(booking_id)
        if booking.status != Status.BOOKED:
            raise BookingRefused(
                f"This booking is {booking.get_status_display().lower()} already."
            )
        label = "Attended" if status == Status.ATTENDED else "No-show"
        _use_reserved(
            booking, credit, by=_actor(by), note=f"{label}: booking of {_when(booking)}", now=now
        )
        booking.status = status
        booking.save(update_fields=["status", "updated_at"])
    return booking


def booking_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send the reminder of each booking starting within BOOKING_REMINDER_HOURS, once each."""
    now = now or timezone.now()
    due = now + datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS)
    ids = Booking.objects.filter(
        status=Status.BOOKED, reminder_sent_at__isnull=True, start__gt=now, start__lte=due
    ).values_list("pk", flat=True)
    sent = 0
    for booking_id in list(ids):
        with transaction.atomic():
            booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
            if booking is None or booking.reminder_sent_at or booking.status != Status.BOOKED:
                continue
            booking.reminder_sent_at = now
            booking.save(update_fields=["reminder_sent_at", "updated_at"])
            # Recorded in the outbox in this transaction: the worker sends it once.
            emails.booking_email_send(booking=booking, kind=emails.REMINDER)
            sent += 1
    return sent
