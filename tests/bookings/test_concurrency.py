"""Twenty patients take the same time at once on PostgreSQL: one booking, nineteen refusals."""

import threading

import pytest
from django.db import connection

from shop.bookings import services
from shop.bookings.models import Booking
from shop.bookings.slots import slots_open
from tests.bookings.conftest import at, credit_for, next_monday

ATTEMPTS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_attempts_at_one_time_give_one_booking(clinic):
    monday = next_monday()
    start, now = at(monday, 10), at(monday, 7)
    credits = [credit_for(guest_email=f"p{i}@example.com") for i in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(credit):
        try:
            barrier.wait(timeout=30)
            services.booking_create(
                credit_id=credit.pk, practitioner_id=clinic["tan"].pk, start=start, now=now
            )
            outcome = "booked"
        except services.SlotTaken as error:
            outcome = str(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(c,)) for c in credits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert outcomes.count("booked") == 1
    assert [o for o in outcomes if o != "booked"] == [
        "Sorry, that time was just taken. Please choose another time."
    ] * (ATTEMPTS - 1)
    assert Booking.objects.filter(start=start).count() == 1
    reserved = sorted(c.__class__.objects.get(pk=c.pk).sessions_reserved for c in credits)
    assert reserved == [0] * (ATTEMPTS - 1) + [1]
    # Other times stay open for the nineteen.
    left = slots_open(
        treatment_id=clinic["tuina"].pk,
        minutes=45,
        first_day=monday,
        days=1,
        valid_until=None,
        practitioner_id=clinic["tan"].pk,
        now=now,
    )[monday]
    assert left and all(slot.start != start for slot in left)
