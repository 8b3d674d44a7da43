"""Reads of bookings: signed booking links, a credit's bookings, the staff calendar."""

import datetime

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from shop.bookings.models import Booking, Location, Practitioner
from shop.core.selectors import CLINIC_TZ
from shop.packages.models import PackageCredit

SALT = "shop.bookings.credit"


def credit_booking_token(*, code: str) -> str:
    """Return the signed token that lets whoever holds it book sessions of this credit."""
    return signing.dumps(code, salt=SALT)


def credit_booking_url(*, code: str, absolute: bool = False) -> str:
    """Return the link to book sessions of the credit (absolute for emails)."""
    path = reverse("bookings:book", kwargs={"token": credit_booking_token(code=code)})
    return f"{settings.SITE_URL}{path}" if absolute else path


def credit_for_token(*, token: str) -> PackageCredit | None:
    """Return the credit a booking token names while it is valid, or None.

    A link expires with its credit: after the credit's last valid day it opens nothing.
    """
    try:
        code = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    credit = PackageCredit.objects.filter(code=code).select_related("product__parent").first()
    if credit is None or credit.valid_until < timezone.localdate(timezone=CLINIC_TZ):
        return None
    return credit


def credit_bookings(*, credit: PackageCredit) -> list[Booking]:
    """Return the credit's bookings, soonest first, with practitioner and location."""
    return list(credit.bookings.select_related("practitioner", "location").order_by("start"))


def credit_bookable(*, credit: PackageCredit) -> bool:
    """Return whether a session of the credit can be booked now."""
    today = timezone.localdate(timezone=CLINIC_TZ)
    return (
        credit.status == PackageCredit.Status.ACTIVE
        and credit.valid_until >= today
        and credit.sessions_left - credit.sessions_reserved > 0
    )


def practitioners_for_treatment(*, treatment_id: int) -> list[Practitioner]:
    """Return the active practitioners who give the treatment."""
    return list(Practitioner.objects.filter(active=True, treatments=treatment_id))


def location_main() -> Location | None:
    """Return the clinic's (first) location."""
    return Location.objects.order_by("pk").first()


def _calendar(queryset: QuerySet) -> QuerySet:
    return queryset.exclude(status=Booking.Status.CANCELLED).select_related(
        "practitioner", "credit__user", "credit__order"
    )


def _day_range(day: datetime.date, days: int = 1) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time(), CLINIC_TZ)
    return start, start + datetime.timedelta(days=days)


def bookings_for_day(*, day: datetime.date) -> tuple[list[Practitioner], dict[int, list[Booking]]]:
    """Return the active practitioners and each one's bookings of `day` (the day view)."""
    start, end = _day_range(day)
    practitioners = list(Practitioner.objects.filter(active=True))
    columns: dict[int, list[Booking]] = {p.pk: [] for p in practitioners}
    for booking in _calendar(Booking.objects.filter(start__gte=start, start__lt=end)):
        columns.setdefault(booking.practitioner_id, []).append(booking)
    return practitioners, columns


def bookings_for_week(*, practitioner_id: int, monday: datetime.date) -> dict:
    """Return one practitioner's bookings of the week from `monday`, by day."""
    start, end = _day_range(monday, 7)
    days = {monday + datetime.timedelta(days=i): [] for i in range(7)}
    queryset = Booking.objects.filter(
        practitioner_id=practitioner_id, start__gte=start, start__lt=end
    )
    for booking in _calendar(queryset):
        days[timezone.localtime(booking.start, CLINIC_TZ).date()].append(booking)
    return days
