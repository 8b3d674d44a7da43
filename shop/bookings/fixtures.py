"""Load the clinic's location, practitioners, hours and public holidays from the fixtures."""

import datetime
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from oscar.core.loading import get_model

from shop.bookings.models import DayOff, Location, Practitioner, WorkingHours

Product = get_model("catalogue", "Product")
BOOKINGS_FILE = Path(settings.BASE_DIR) / "catalogue_fixtures" / "bookings.yaml"


def _time(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


@transaction.atomic
def bookings_load(*, path: Path = BOOKINGS_FILE) -> int:
    """Create what the fixtures list and is missing (safe to run again); return how many."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    place = data["location"]
    location, made = Location.objects.get_or_create(name=place["name"], defaults=place)
    created += made
    for item in data["practitioners"]:
        fields = {k: item[k] for k in ("chinese_name", "registration_number", "profile")}
        practitioner, made = Practitioner.objects.get_or_create(
            name=item["name"], defaults={**fields, "location": location}
        )
        if not made:
            continue
        created += 1
        practitioner.treatments.set(Product.objects.filter(upc__in=item["treatments"]))
        WorkingHours.objects.bulk_create(
            WorkingHours(
                practitioner=practitioner,
                weekday=day,
                start=_time(span["start"]),
                end=_time(span["end"]),
            )
            for span in item["hours"]
            for day in span["weekdays"]
        )
    for holiday in data["holidays"]:
        day = holiday["date"]
        if not isinstance(day, datetime.date):
            day = datetime.date.fromisoformat(str(day))
        _, made = DayOff.objects.get_or_create(
            practitioner=None, date=day, defaults={"reason": holiday["reason"]}
        )
        created += made
    return created
