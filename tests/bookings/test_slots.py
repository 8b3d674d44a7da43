"""Hours minus days off, holidays and bookings with buffers; lead, horizon, validity."""

import datetime

from shop.bookings.models import Booking, DayOff
from shop.bookings.slots import slots_open
from tests.bookings.conftest import at, credit_for, next_monday

DAY = datetime.timedelta(days=1)


def _times(clinic, *, first_day, days=1, practitioner=None, now=None, valid_until=None):
    result = slots_open(
        treatment_id=clinic["tuina"].pk,
        minutes=45,
        first_day=first_day,
        days=days,
        valid_until=valid_until,
        practitioner_id=practitioner.pk if practitioner else None,
        now=now or at(first_day - 7 * DAY, 9),
    )
    return {
        day: [f"{s.start.astimezone(at(day, 0).tzinfo):%H:%M}" for s in slots]
        for day, slots in result.items()
    }


def _book(clinic, practitioner, start):
    credit = credit_for()
    return Booking.objects.create(
        credit=credit,
        practitioner=practitioner,
        location=clinic["location"],
        start=start,
        end=start + datetime.timedelta(minutes=45),
        blocked_until=start + datetime.timedelta(minutes=55),
    )


def test_a_lunch_break_splits_the_day_and_sessions_end_inside_the_hours(clinic):
    monday = next_monday()

    times = _times(clinic, first_day=monday, practitioner=clinic["tan"])[monday]

    assert times[0] == "09:00" and times[-1] == "17:15"  # 17:15 + 45 minutes ends at 18:00
    assert "11:45" in times and "12:00" not in times and "13:15" not in times
    assert "13:30" in times
    assert len(times) == 12 + 16


def test_a_booking_and_its_buffer_take_the_times_around_it(clinic):
    monday = next_monday()
    _book(clinic, clinic["tan"], at(monday, 14))

    times = _times(clinic, first_day=monday, practitioner=clinic["tan"])[monday]

    # 13:30 + 45 + 10 buffer reaches 14:25 > 14:00; the booking blocks until 14:55.
    assert "13:15" not in times and "13:30" not in times and "14:45" not in times
    assert "15:00" in times and "12:15" not in times and "11:45" in times


def test_a_cancelled_booking_frees_its_time(clinic):
    monday = next_monday()
    booking = _book(clinic, clinic["tan"], at(monday, 14))
    booking.status = Booking.Status.CANCELLED
    booking.save()

    assert "14:00" in _times(clinic, first_day=monday, practitioner=clinic["tan"])[monday]


def test_any_practitioner_merges_both_and_a_day_off_removes_one(clinic):
    tuesday = next_monday() + DAY
    DayOff.objects.create(practitioner=clinic["tan"], date=tuesday, reason="Leave")

    times = _times(clinic, first_day=tuesday)[tuesday]

    assert times == ["14:00", "14:15", "14:30", "14:45", "15:00", "15:15"]  # Lim alone


def test_a_public_holiday_closes_the_clinic(clinic):
    monday = next_monday()
    DayOff.objects.create(practitioner=None, date=monday + DAY, reason="Public holiday")

    times = _times(clinic, first_day=monday, days=3)

    assert times[monday] and times[monday + 2 * DAY]
    assert times[monday + DAY] == []


def test_the_fixtures_close_the_clinic_on_singapore_public_holidays(clinic):
    holidays = set(DayOff.objects.filter(practitioner=None).values_list("date", "reason"))

    assert (datetime.date(2026, 8, 9), "National Day") in holidays
    assert (datetime.date(2027, 2, 6), "Chinese New Year") in holidays
    assert len([d for d, _ in holidays if d.year == 2027]) >= 11


def test_the_lead_time_hides_the_next_two_hours(clinic):
    monday = next_monday()

    times = _times(clinic, first_day=monday, practitioner=clinic["tan"], now=at(monday, 9, 20))

    assert times[monday][:2] == ["11:30", "11:45"]  # 09:20 + 2 hours: 11:20, then the grid
    assert times[monday][2] == "13:30"


def test_nothing_after_the_horizon_nor_after_the_credit_is_valid(clinic):
    monday = next_monday()
    now = at(monday, 10)
    DayOff.objects.filter(practitioner=None).delete()  # the holidays of whatever weeks these are

    # 60 days after Monday 10:00 is Friday 10:00: that morning is the last open one.
    horizon = _times(clinic, first_day=monday + 56 * DAY, days=8, now=now)
    assert len(horizon[monday + 59 * DAY]) == 28
    assert horizon[monday + 60 * DAY] == ["09:00", "09:15", "09:30", "09:45"]
    assert horizon[monday + 63 * DAY] == []

    valid = _times(clinic, first_day=monday, days=7, now=now, valid_until=monday + 2 * DAY)
    assert valid[monday + 2 * DAY] and valid[monday + 3 * DAY] == []


def test_fourteen_days_across_a_month_end(clinic):
    monday = next_monday()
    month_end = (monday.replace(day=1) + 32 * DAY).replace(day=1) - DAY
    first_day = month_end - 6 * DAY

    times = _times(clinic, first_day=first_day, days=14, now=at(first_day - DAY, 8))

    assert list(times) == [first_day + i * DAY for i in range(14)]
    for day, slots in times.items():
        open_day = day.weekday() < 5 and not DayOff.objects.filter(date=day).exists()
        assert bool(slots) == open_day, day
    assert any(slots for day, slots in times.items() if day.month != first_day.month)


def test_fourteen_days_load_in_a_fixed_number_of_queries(clinic, django_assert_max_num_queries):
    monday = next_monday()
    for i in range(40):
        day = monday + (i % 10) * DAY
        if day.weekday() < 5:
            _book(clinic, clinic["tan"], at(day, 9 + (i // 10) * 2))

    with django_assert_max_num_queries(4):
        times = _times(clinic, first_day=monday, days=14)

    assert "09:00" not in times[monday] and "10:00" in times[monday]
