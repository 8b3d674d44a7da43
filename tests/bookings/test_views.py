"""The patient's booking pages: a signed link for one credit, own bookings only, CSRF POSTs."""

import datetime
import re

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from shop.bookings import services
from shop.bookings.models import Booking
from shop.bookings.selectors import credit_booking_url
from shop.bookings.slots import slots_open
from shop.core.selectors import CLINIC_TZ
from tests.bookings.conftest import credit_for


def _first_slot(clinic, credit):
    days = slots_open(
        treatment_id=clinic["tuina"].pk,
        minutes=credit.session_minutes,
        first_day=timezone.localdate(timezone=CLINIC_TZ),
        days=14,
        valid_until=credit.valid_until,
    )
    return next(slot for slots in days.values() for slot in slots)


def _post_slot(client, url, slot):
    start = timezone.localtime(slot.start, CLINIC_TZ)
    return client.post(
        url, {"practitioner": slot.practitioner_id, "start": f"{start:%Y-%m-%dT%H:%M}"}
    )


def test_a_guest_books_from_the_signed_link_and_sees_the_booking(client, clinic):
    credit = credit_for(guest_email="mei@example.com")
    url = credit_booking_url(code=credit.code)
    page = client.get(url)
    assert page.status_code == 200
    assert "Cancelling or moving up to 24 hours before" in page.content.decode()
    slot = _first_slot(clinic, credit)

    response = _post_slot(client, url, slot)

    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Your session is booked for" in page and "Your bookings" in page
    assert "5 of 5 sessions left</strong> (1 booked)" in page
    booking = Booking.objects.get(credit=credit)
    assert booking.start == slot.start and booking.booked_by is None


def test_a_time_just_taken_says_so_and_offers_other_times(client, clinic):
    credit = credit_for()
    slot = _first_slot(clinic, credit)
    services.booking_create(
        credit_id=credit_for().pk, practitioner_id=slot.practitioner_id, start=slot.start
    )

    response = _post_slot(client, credit_booking_url(code=credit.code), slot)

    assert response.status_code == 409
    page = response.content.decode()
    assert "that time was just taken" in page
    assert len(re.findall(r'class="btn btn-outline-primary btn-sm slot"', page)) > 10
    assert not Booking.objects.filter(credit=credit).exists()


def test_a_link_opens_only_its_own_credit_and_its_bookings(client, clinic):
    mine, theirs = credit_for(), credit_for()
    slot = _first_slot(clinic, theirs)
    booking = services.booking_create(
        credit_id=theirs.pk, practitioner_id=slot.practitioner_id, start=slot.start
    )
    url = credit_booking_url(code=mine.code)

    response = client.post(
        reverse("bookings:cancel", kwargs={"token": url.split("/")[-2], "booking_id": booking.pk})
    )

    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == "booked"
    assert client.get(f"{url}?move={booking.pk}").status_code == 404
    assert client.get(url.replace(":", ";", 1)).status_code == 404  # a tampered signature


def test_a_link_expires_with_its_credit(client, clinic):
    credit = credit_for()
    url = credit_booking_url(code=credit.code)
    credit.valid_until = timezone.localdate(timezone=CLINIC_TZ) - datetime.timedelta(days=1)
    credit.save()

    assert client.get(url).status_code == 404


def test_cancel_answers_only_post(client, clinic):
    credit = credit_for()
    slot = _first_slot(clinic, credit)
    booking = services.booking_create(
        credit_id=credit.pk, practitioner_id=slot.practitioner_id, start=slot.start
    )
    token = credit_booking_url(code=credit.code).split("/")[-2]
    cancel = reverse("bookings:cancel", kwargs={"token": token, "booking_id": booking.pk})

    assert client.get(cancel).status_code == 405
    response = client.post(cancel, follow=True)

    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert "the session is used" in response.content.decode()  # within 24 hours of the session


def test_my_treatments_offers_book_only_on_own_credits(client, clinic, patient):
    mine = credit_for(user=patient)
    theirs = credit_for()
    client.force_login(patient)

    page = client.get(reverse("packages:treatment-list")).content.decode()

    links = re.findall(r'href="(/book/[^"]+)">Book<', page)
    assert len(links) == 1
    assert f"Code {mine.code}" in client.get(links[0]).content.decode()
    assert theirs.code not in page


def test_the_thank_you_page_and_email_offer_the_first_booking(clinic):
    credit = credit_for()
    template = Template(
        "{% load packages_tags %}{% order_credits order %}|{% order_credits order email=True %}"
    )

    page, email = template.render(Context({"order": credit.order})).split("|")

    assert "Book your first session" in page and "Book your first session" in email
    assert 'href="http' in email.split("Book your first session")[0].rsplit("<a", 1)[1]
