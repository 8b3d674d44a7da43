"""Open times of a treatment: working hours minus days off, holidays and bookings.

All in Asia/Singapore. A slot is a start time at which the session fits inside
one working span and its blocked time (session plus buffer) overlaps no active
booking of the practitioner. The queries are fixed in number: practitioners,
their hours, the days off and the bookings of the whole range, each once.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from shop.bookings.models import Booking, DayOff, Practitioner, WorkingHours
from shop.core.selectors import CLINIC_TZ


@dataclasses.dataclass(frozen=True)
class Slot:
    practitioner_id: int
    start: datetime.datetime
    end: datetime.datetime
    blocked_until: datetime.datetime


def session_lengths(*, minutes: int | None) -> tuple[datetime.timedelta, datetime.timedelta]:
    """Return the session's length and its blocked length (session plus buffer)."""
    session = datetime.timedelta(minutes=minutes or 60)
    return session, session + datetime.timedelta(minutes=settings.BOOKING_BUFFER_MINUTES)


def booking_window(
    *, valid_until: datetime.date | None, now: datetime.datetime | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """Return the earliest and latest start a patient may book: lead time to horizon/validity."""
    now = now or timezone.now()
    earliest = now + datetime.timedelta(hours=settings.BOOKING_LEAD_HOURS)
    latest = now + datetime.timedelta(days=settings.BOOKING_HORIZON_DAYS)
    if valid_until is not None:
        day = valid_until + datetime.timedelta(days=1)
        latest = min(latest, datetime.datetime(day.year, day.month, day.day, tzinfo=CLINIC_TZ))
    return earliest, latest


def _practitioners(*, treatment_id: int, practitioner_id: int | None) -> list[Practitioner]:
    queryset = Practitioner.objects.filter(active=True, treatments=treatment_id)
    if practitioner_id:
        queryset = queryset.filter(pk=practitioner_id)
    return list(
        queryset.prefetch_related(
            Prefetch("hours", queryset=WorkingHours.objects.all(), to_attr="spans")
        )
    )


def slots_open(
    *,
    treatment_id: int,
    minutes: int | None,
    first_day: datetime.date,
    days: int,
    valid_until: datetime.date | None,
    practitioner_id: int | None = None,
    now: datetime.datetime | None = None,
    exclude_booking_id: int | None = None,
) -> dict[datetime.date, list[Slot]]:
    """Return the open slots of `days` days from `first_day`, by day, sorted by start."""
    session, blocked = session_lengths(minutes=minutes)
    step = datetime.timedelta(minutes=settings.BOOKING_SLOT_STEP_MINUTES)
    earliest, latest = booking_window(valid_until=valid_until, now=now)
    practitioners = _practitioners(treatment_id=treatment_id, practitioner_id=practitioner_id)
    last_day = first_day + datetime.timedelta(days=days - 1)
    result: dict[datetime.date, list[Slot]] = {
        first_day + datetime.timedelta(days=i): [] for i in range(days)
    }
    if not practitioners:
        return result
    ids = [p.pk for p in practitioners]
    off = set(
        DayOff.objects.filter(
            Q(practitioner__isnull=True) | Q(practitioner__in=ids),
            date__range=(first_day, last_day),
        ).values_list("practitioner_id", "date")
    )
    range_start = datetime.datetime.combine(first_day, datetime.time(), CLINIC_TZ)
    range_end = range_start + datetime.timedelta(days=days + 1)
    busy: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {i: [] for i in ids}
    for pid, start, until in (
        Booking.objects.filter(
            practitioner__in=ids, start__lt=range_end, blocked_until__gt=range_start
        )
        .exclude(status=Booking.Status.CANCELLED)
        .exclude(pk=exclude_booking_id)
        .values_list("practitioner_id", "start", "blocked_until")
    ):
        busy[pid].append((start, until))
    for day in result:
        if (None, day) in off:
            continue
        for practitioner in practitioners:
            if (practitioner.pk, day) in off:
                continue
            taken = busy[practitioner.pk]
            for span in practitioner.spans:
                if span.weekday != day.weekday():
                    continue
                start = datetime.datetime.combine(day, span.start, CLINIC_TZ)
                close = datetime.datetime.combine(day, span.end, CLINIC_TZ)
                while start + session <= close:
                    until = start + blocked
                    if earliest <= start < latest and not any(
                        s < until and start < u for s, u in taken
                    ):
                        result[day].append(Slot(practitioner.pk, start, start + session, until))
                    start += step
    for day_slots in result.values():
        day_slots.sort(key=lambda slot: (slot.start, slot.practitioner_id))
    return result


def slot_is_open(
    *,
    treatment_id: int,
    minutes: int | None,
    practitioner_id: int,
    start: datetime.datetime,
    valid_until: datetime.date | None,
    now: datetime.datetime | None = None,
    exclude_booking_id: int | None = None,
) -> bool:
    """Return whether `start` with this practitioner is one of the open slots of its day."""
    day = timezone.localtime(start, CLINIC_TZ).date()
    slots = slots_open(
        treatment_id=treatment_id,
        minutes=minutes,
        first_day=day,
        days=1,
        valid_until=valid_until,
        practitioner_id=practitioner_id,
        now=now,
        exclude_booking_id=exclude_booking_id,
    )[day]
    return any(slot.start == start for slot in slots)
