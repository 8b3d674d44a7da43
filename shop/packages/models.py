"""Package credits: the sessions a patient bought, and every change to them.

One credit stands for one unit of a package line (quantity 2 of a 5-session
package is two credits). Its counters only move under a row lock in
`shop.packages.services`; check constraints keep sessions left between zero
and what was bought whatever arrives at once.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

# No 0/O or 1/I/L: a code read aloud over the phone or typed from an email is unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


class PackageCredit(models.Model):
    """The sessions of one package bought, their price and how many are left."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        USED_UP = "used_up", "Used up"
        EXPIRED = "expired", "Expired"
        REFUNDED = "refunded", "Refunded"
        FROZEN = "frozen", "Frozen (payment dispute)"

    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="credits")
    line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="credits")
    # Which unit of the line this credit is (0 .. quantity - 1): one credit per unit, ever.
    unit_index = models.PositiveSmallIntegerField()
    product = models.ForeignKey(
        "catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The patient: their account, or the guest's email and name (attached to an account
    # once its owner confirms the address).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="package_credits",
    )
    email = models.EmailField(db_index=True)
    name = models.CharField(max_length=255, blank=True, default="")
    phone = models.CharField(max_length=32, blank=True, default="", db_index=True)
    # Copied from the sale: a later edit of the product changes no credit.
    title = models.CharField(max_length=255)
    sku = models.CharField(max_length=128, blank=True, default="")
    sessions_bought = models.PositiveSmallIntegerField()
    session_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    validity_days = models.PositiveIntegerField()
    # What this credit cost (its share of the line after discounts, GST-inclusive). Session
    # i (0-based, used from the first) costs `session_price`, plus one cent for the first
    # `amount_paid - sessions_bought * session_price` cents: the sessions add up exactly.
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2)
    session_price = models.DecimalField(max_digits=12, decimal_places=2)
    purchased_at = models.DateTimeField()
    # The last day (Asia/Singapore) on which a session may be redeemed.
    valid_until = models.DateField(db_index=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    sessions_used = models.PositiveSmallIntegerField(default=0)
    sessions_refunded = models.PositiveSmallIntegerField(default=0)
    # Sessions held by bookings not yet attended (the bookings app moves this counter).
    sessions_reserved = models.PositiveSmallIntegerField(default=0)
    # Why the credit is frozen or flagged for staff (a dispute, a refund made at Stripe).
    frozen_reason = models.CharField(max_length=255, blank=True, default="")
    flagged_reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-purchased_at", "pk"]
        permissions = [
            ("redeem_packagecredit", "Can redeem, undo and extend package credits"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["line", "unit_index"], name="credit_once_per_unit"),
            models.CheckConstraint(
                condition=Q(sessions_bought__gte=1), name="credit_sessions_bought_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    sessions_bought__gte=F("sessions_used")
                    + F("sessions_refunded")
                    + F("sessions_reserved")
                ),
                name="credit_sessions_left_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(sessions_used__gte=0)
                & Q(sessions_refunded__gte=0)
                & Q(sessions_reserved__gte=0),
                name="credit_counters_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=F("session_price") * F("sessions_bought")),
                name="credit_sessions_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title} ({self.sessions_left} of {self.sessions_bought} left)"

    @property
    def sessions_left(self) -> int:
        """Return the sessions still to be used (booked ones included)."""
        return self.sessions_bought - self.sessions_used - self.sessions_refunded

    @property
    def extra_cents(self) -> int:
        """Return how many of the first sessions cost one cent more than `session_price`."""
        return int((self.amount_paid - self.session_price * self.sessions_bought).scaleb(2))

    def sessions_value(self, *, first: int, count: int) -> Decimal:
        """Return what sessions `first` .. `first + count - 1` (0-based) cost, to the cent."""
        if count <= 0:
            return Decimal("0.00")
        dearer = max(0, min(first + count, self.extra_cents) - first)
        return self.session_price * count + Decimal(dearer).scaleb(-2)


class CreditEvent(models.Model):
    """One change to a credit: who made it, when and why. Never deleted.

    `sessions` and `amount` are the change in what the clinic still owes the
    patient (the unused-sessions liability): a purchase adds, a redemption, a
    refund or an expiry takes away, an undo or an extension of an expired
    credit gives back. Events that move nothing carry zero.
    """

    class Kind(models.TextChoices):
        PURCHASED = "purchased", "Purchased"
        REDEEMED = "redeemed", "Session redeemed"
        UNDONE = "undone", "Redemption undone"
        EXTENDED = "extended", "Validity extended"
        EXPIRED = "expired", "Expired"
        REFUNDED = "refunded", "Sessions refunded"
        FROZEN = "frozen", "Frozen"
        UNFROZEN = "unfrozen", "Unfrozen"
        FLAGGED = "flagged", "Flagged for staff"
        ATTACHED = "attached", "Attached to an account"

    credit = models.ForeignKey(PackageCredit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name of who made it, kept even if that account goes ("system" for the shop).
    by_name = models.CharField(max_length=255, blank=True, default="")
    note = models.TextField(blank=True, default="")
    sessions = models.SmallIntegerField(default=0)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    # The redemption an undo gives back (each one at most once).
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )
    # The Stripe refund id of a refund.
    reference = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.credit_id} at {self.created_at}"


class ReminderOptOut(models.Model):
    """A patient (by email) who turned the package reminders off."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"No package reminders for {self.email}"
