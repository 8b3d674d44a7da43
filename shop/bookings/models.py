"""Practitioners, their hours and days off, and the bookings made against package credits.

A booking holds one session of a credit (the credit's `sessions_reserved`) and
blocks its practitioner from `start` to `blocked_until` (the session plus the
buffer). On PostgreSQL an exclusion constraint (migration 0001) keeps a
practitioner's active bookings from overlapping whatever arrives at once.
"""

from django.conf import settings
from django.db import models


class Location(models.Model):
    """A place where the clinic treats patients (one today)."""

    name = models.CharField(max_length=128)
    address = models.TextField()
    phone = models.CharField(max_length=32, blank=True, default="")
    opening_hours = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return self.name


class Practitioner(models.Model):
    """A registered TCM physician who gives some of the clinic's treatments."""

    name = models.CharField(max_length=128)
    chinese_name = models.CharField(max_length=64, blank=True, default="")
    registration_number = models.CharField(
        "TCM registration number", max_length=32, blank=True, default=""
    )
    photo = models.ImageField(upload_to="practitioners/", blank=True)
    profile = models.TextField(blank=True, default="")
    # The treatments given: parent products of the treatment package class.
    treatments = models.ManyToManyField("catalogue.Product", related_name="practitioners")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="practitioners")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_bookings", "Can book, move and mark bookings for patients")]

    def __str__(self) -> str:
        return f"{self.name} {self.chinese_name}".strip()


class WorkingHours(models.Model):
    """One span of a practitioner's week (several spans a day make a lunch break)."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(
        choices=[(i, d) for i, d in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])]
    )
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="hours_end")
        ]

    def __str__(self) -> str:
        return f"{self.practitioner}: {self.get_weekday_display()} {self.start}-{self.end}"


class DayOff(models.Model):
    """A day a practitioner is on leave, or the whole clinic is closed (a public holiday)."""

    practitioner = models.ForeignKey(
        Practitioner, null=True, blank=True, on_delete=models.CASCADE, related_name="days_off"
    )
    date = models.DateField(db_index=True)
    reason = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "date"], name="day_off_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason} ({self.practitioner or 'clinic'})"


class Booking(models.Model):
    """One session of a credit booked with a practitioner at a time."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "No-show"

    credit = models.ForeignKey(
        "packages.PackageCredit", on_delete=models.PROTECT, related_name="bookings"
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="bookings"
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # The end of the session's buffer: the practitioner is busy until then.
    blocked_until = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.BOOKED, db_index=True
    )
    # Whether cancelling gave the session back (False: the session was used, late or no-show).
    session_returned = models.BooleanField(default=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["practitioner", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start"))
                & models.Q(blocked_until__gte=models.F("end")),
                name="booking_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credit_id} with {self.practitioner_id} at {self.start}"
