"""A clinic of two practitioners with known hours (the fixtures' ones set aside)."""

import datetime

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from shop.bookings.models import Location, Practitioner, WorkingHours
from shop.core.selectors import CLINIC_TZ
from tests.factories import paid_order_create

Product = get_model("catalogue", "Product")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """Return a moment of `day` in Singapore."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CLINIC_TZ)


def next_monday(weeks: int = 1) -> datetime.date:
    """Return the Monday `weeks` weeks after this week's (Singapore)."""
    today = timezone.localdate(timezone=CLINIC_TZ)
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks)


def credit_for(sku: str = "TUI-5", **kwargs):
    """Return the credit of a freshly paid order of one `sku`."""
    return paid_order_create(items=[(sku, 1)], **kwargs).credits.get()


@pytest.fixture
def clinic(catalogue):
    """Two Tuina practitioners: Tan with a lunch break on weekdays, Lim on Tuesday afternoons."""
    Practitioner.objects.update(active=False)
    location = Location.objects.order_by("pk").first()
    tuina = Product.objects.get(upc="TUI")
    tan = Practitioner.objects.create(name="Tan", location=location)
    lim = Practitioner.objects.create(name="Lim", location=location)
    for practitioner in (tan, lim):
        practitioner.treatments.add(tuina)
    spans = [(tan, day, "09:00", "12:30") for day in range(5)]
    spans += [(tan, day, "13:30", "18:00") for day in range(5)]
    spans += [(lim, 1, "14:00", "16:00")]
    WorkingHours.objects.bulk_create(
        WorkingHours(
            practitioner=p,
            weekday=day,
            start=datetime.time.fromisoformat(start),
            end=datetime.time.fromisoformat(end),
        )
        for p, day, start, end in spans
    )
    return {"tan": tan, "lim": lim, "location": location, "tuina": tuina}
