"""The bookings dashboard: calendars with patient, treatment, phone and credit; staff actions."""

import datetime

from django.urls import reverse

from shop.bookings import services
from shop.bookings.models import Booking, Practitioner
from tests.bookings.conftest import at, credit_for, next_monday

DAY = reverse("bookings-dashboard:bookings-day")
WEEK = reverse("bookings-dashboard:bookings-week")


def _booked(clinic, credit, start):
    return services.booking_create(
        credit_id=credit.pk,
        practitioner_id=clinic["tan"].pk,
        start=start,
        now=start - datetime.timedelta(days=3),
    )


def _credit_with_phone(**kwargs):
    credit = credit_for(**kwargs)
    credit.name, credit.phone = "Mei Ling Tan", "+65 9123 4567"
    credit.save()
    return credit


def test_the_day_and_week_show_patient_treatment_phone_and_credit(
    client, clinic, clinic_staff, django_assert_max_num_queries
):
    monday = next_monday()
    credit = _credit_with_phone()
    _booked(clinic, credit, at(monday, 10))
    for hour in (14, 15, 16):
        _booked(clinic, credit_for(), at(monday, hour))
    client.force_login(clinic_staff)

    with django_assert_max_num_queries(20):
        day = client.get(DAY, {"date": f"{monday:%Y-%m-%d}"})
    week = client.get(WEEK, {"practitioner": clinic["tan"].pk, "date": f"{monday:%Y-%m-%d}"})

    for page in (day, week):
        text = page.content.decode()
        assert page.status_code == 200
        assert "Mei Ling Tan" in text and "+65 9123 4567" in text
        assert "Tuina Acupressure" in text and credit.code in text
    assert "Lim" in day.content.decode()  # every practitioner side by side


def test_staff_book_for_a_patient_and_mark_attended_once(client, clinic, clinic_staff):
    monday = next_monday()
    credit = credit_for()
    client.force_login(clinic_staff)

    client.post(
        reverse("bookings-dashboard:bookings-new"),
        {
            "code": credit.code.lower(),
            "practitioner": clinic["tan"].pk,
            "start": f"{monday:%Y-%m-%d} 10:00",
        },
    )
    booking = Booking.objects.get(credit=credit)
    assert booking.booked_by == clinic_staff and booking.start == at(monday, 10)

    attended = reverse(
        "bookings-dashboard:bookings-action", kwargs={"pk": booking.pk, "action": "attended"}
    )
    client.post(attended)
    client.post(attended)

    credit.refresh_from_db()
    assert (credit.sessions_left, credit.sessions_reserved) == (4, 0)
    assert credit.events.filter(kind="redeemed", by=clinic_staff).count() == 1


def test_a_bad_phone_booking_is_a_message_not_a_500(client, clinic, clinic_staff):
    client.force_login(clinic_staff)

    response = client.post(
        reverse("bookings-dashboard:bookings-new"),
        {"code": "NOSUCH22", "practitioner": clinic["tan"].pk, "start": "2026-13-45 99:00"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Give a credit code, a practitioner and a time." in response.content.decode()
    assert not Booking.objects.exists()


def test_accountants_read_but_cannot_change(client, clinic, accountant):
    monday = next_monday()
    booking = _booked(clinic, credit_for(), at(monday, 10))
    client.force_login(accountant)

    assert client.get(DAY, {"date": f"{monday:%Y-%m-%d}"}).status_code == 200
    cancel = reverse(
        "bookings-dashboard:bookings-action", kwargs={"pk": booking.pk, "action": "cancel"}
    )
    assert client.post(cancel).status_code in (302, 403)
    booking.refresh_from_db()
    assert booking.status == "booked"
    edit = reverse(
        "bookings-dashboard:bookings-practitioner-edit", kwargs={"pk": clinic["tan"].pk}
    )
    assert client.post(edit, {"name": "Changed"}).status_code in (302, 403)
    assert Practitioner.objects.get(pk=clinic["tan"].pk).name == "Tan"


def test_patients_and_visitors_get_no_calendar(client, clinic, patient):
    assert client.get(DAY).status_code == 302
    client.force_login(patient)
    assert client.get(DAY).status_code in (302, 403)


def test_staff_add_a_practitioner_with_a_lunch_break_and_a_day_off(client, clinic, clinic_staff):
    client.force_login(clinic_staff)
    data = {
        "name": "Dr Wong",
        "chinese_name": "黄医师",
        "registration_number": "T2000001D",
        "profile": "Acupuncture.",
        "treatments": [clinic["tuina"].pk],
        "location": clinic["location"].pk,
        "active": "on",
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-0-weekday": "0",
        "hours-0-start": "09:00",
        "hours-0-end": "12:00",
        "hours-1-weekday": "0",
        "hours-1-start": "13:00",
        "hours-1-end": "17:00",
        "off-TOTAL_FORMS": "1",
        "off-INITIAL_FORMS": "0",
        "off-0-date": "2027-01-04",
        "off-0-reason": "Leave",
    }

    response = client.post(reverse("bookings-dashboard:bookings-practitioner-new"), data)

    assert response.status_code == 302
    wong = Practitioner.objects.get(name="Dr Wong")
    assert [(h.start.hour, h.end.hour) for h in wong.hours.all()] == [(9, 12), (13, 17)]
    assert wong.days_off.get().date == datetime.date(2027, 1, 4)
    bad = client.post(
        reverse("bookings-dashboard:bookings-practitioner-new"),
        {**data, "hours-0-end": "08:00", "name": "Dr Bad"},
    )
    assert bad.status_code == 400 and not Practitioner.objects.filter(name="Dr Bad").exists()


def test_staff_move_a_booking_to_another_practitioner_and_cancel_it(client, clinic, clinic_staff):
    tuesday = next_monday() + datetime.timedelta(days=1)
    credit = credit_for()
    booking = _booked(clinic, credit, at(tuesday, 10))
    client.force_login(clinic_staff)
    action = "bookings-dashboard:bookings-action"

    client.post(
        reverse(action, kwargs={"pk": booking.pk, "action": "move"}),
        {"practitioner": clinic["lim"].pk, "start": f"{tuesday:%Y-%m-%d}T14:30"},
    )
    booking.refresh_from_db()
    assert (booking.practitioner, booking.start) == (clinic["lim"], at(tuesday, 14, 30))

    client.post(reverse(action, kwargs={"pk": booking.pk, "action": "cancel"}))
    booking.refresh_from_db()
    credit.refresh_from_db()
    assert booking.status == "cancelled" and credit.sessions_reserved == 0
    assert (
        client.post(reverse(action, kwargs={"pk": booking.pk, "action": "nonsense"})).status_code
        == 404
    )
