"""Writes of a credit's life after the sale: redeem, undo, extend, expire, freeze, refund.

Every change locks the credit's row (select_for_update) and writes a
CreditEvent with who, when and why. A change that is not allowed raises
CreditRefused with a message for staff that says why.
"""

import contextvars
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from shop.core.selectors import CLINIC_TZ
from shop.packages.models import CreditEvent, PackageCredit
from shop.packages.reminders import credit_last_session_reminder_record

Status = PackageCredit.Status
Kind = CreditEvent.Kind
SYSTEM = "system"

# Set while this app itself refunds sessions, so that its own refund is not flagged.
_refunding_sessions = contextvars.ContextVar("refunding_sessions", default=False)


class CreditRefused(Exception):
    """The change asked for is not allowed; the message says why."""


def _today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(now or timezone.now(), CLINIC_TZ).date()


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _who(user) -> str:
    if user is None:
        return SYSTEM
    return user.get_full_name() or user.email or user.get_username()


def _locked(credit_id: int) -> PackageCredit:
    return PackageCredit.objects.select_for_update().get(pk=credit_id)


def _event(credit, kind, *, by=None, at=None, note="", sessions=0, amount=None, **extra):
    return CreditEvent.objects.create(
        credit=credit,
        kind=kind,
        created_at=at or timezone.now(),
        by=by,
        by_name=_who(by),
        note=note,
        sessions=sessions,
        amount=amount if amount is not None else Decimal("0.00"),
        **extra,
    )


def _outstanding(credit: PackageCredit) -> tuple[int, Decimal]:
    """Return the sessions still owed and what they cost (used from the front)."""
    count = credit.sessions_left
    return count, credit.sessions_value(first=credit.sessions_used, count=count)


def _settled_status(credit: PackageCredit, *, today: datetime.date) -> str:
    """Return the status a credit's counters and dates give (frozen aside)."""
    if credit.sessions_left <= 0:
        return Status.REFUNDED if credit.sessions_refunded else Status.USED_UP
    if credit.valid_until < today:
        return Status.EXPIRED
    return Status.ACTIVE


def expiry_moment(credit: PackageCredit) -> datetime.datetime:
    """Return when the credit expires: the end of its last valid day in Singapore."""
    day = credit.valid_until + datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=CLINIC_TZ)


def _expire(credit: PackageCredit, *, by=None, note: str = "") -> None:
    """Mark the credit expired; what it still owed becomes breakage at its expiry moment."""
    count, value = _outstanding(credit)
    note = note or f"Valid until {_day(credit.valid_until)}"
    at = min(expiry_moment(credit), timezone.now())
    _event(credit, Kind.EXPIRED, by=by, at=at, note=note, sessions=-count, amount=-value)
    credit.status = Status.EXPIRED


def _settle(credit: PackageCredit, *, by=None, at=None, note: str = "") -> None:
    """Set the credit's status from its counters; an expiry takes what is owed off the books."""
    status = _settled_status(credit, today=_today(at))
    if status == Status.EXPIRED and credit.status != Status.EXPIRED:
        _expire(credit, by=by, note=note)
    credit.status = status


def refusal(credit: PackageCredit, *, today: datetime.date) -> str:
    """Return why no session of `credit` can be redeemed today, or "" when one can."""
    if credit.status == Status.FROZEN:
        why = f" ({credit.frozen_reason})" if credit.frozen_reason else ""
        return f"This credit is frozen{why}: no session can be redeemed while a dispute is open."
    if credit.status == Status.REFUNDED:
        return "This credit was refunded: no sessions left to redeem."
    if credit.status == Status.EXPIRED or credit.valid_until < today:
        return f"This credit has expired: it was valid until {_day(credit.valid_until)}."
    if credit.sessions_left - credit.sessions_reserved <= 0:
        if credit.sessions_left > 0:
            return "No sessions left: the sessions still unused are booked."
        return f"No sessions left: all {credit.sessions_bought} sessions have been used."
    return ""


def credit_redeem(*, credit_id: int, by, note: str = "", at=None) -> CreditEvent:
    """Record one session of the credit used, or raise CreditRefused saying why not."""
    at = at or timezone.now()
    with transaction.atomic():
        credit = _locked(credit_id)
        why = refusal(credit, today=_today(at))
        if why:
            raise CreditRefused(why)
        value = credit.sessions_value(first=credit.sessions_used, count=1)
        credit.sessions_used += 1
        event = _event(
            credit, Kind.REDEEMED, by=by, at=at, note=note.strip(), sessions=-1, amount=-value
        )
        _settle(credit, by=by, at=at)
        credit.save(update_fields=["sessions_used", "status", "updated_at"])
        credit_last_session_reminder_record(credit=credit)
    return event


def credit_redemption_undo(*, event_id: int, by, reason: str, at=None) -> CreditEvent:
    """Give back the session of a redemption made within PACKAGE_UNDO_HOURS, with a reason."""
    at = at or timezone.now()
    reason = reason.strip()
    if not reason:
        raise CreditRefused("Give a reason for undoing the redemption.")
    with transaction.atomic():
        credit_id = CreditEvent.objects.values_list("credit_id", flat=True).get(pk=event_id)
        credit = _locked(credit_id)
        redemption = CreditEvent.objects.select_for_update().get(pk=event_id)
        if redemption.kind != Kind.REDEEMED:
            raise CreditRefused("Only a redemption can be undone.")
        if CreditEvent.objects.filter(undoes=redemption).exists():
            raise CreditRefused("This redemption was undone already.")
        hours = settings.PACKAGE_UNDO_HOURS
        if at - redemption.created_at > datetime.timedelta(hours=hours):
            raise CreditRefused(f"A redemption can only be undone within {hours} hours.")
        if credit.status in (Status.EXPIRED, Status.REFUNDED):
            raise CreditRefused(
                f"This credit is {credit.get_status_display().lower()}: extend it first."
            )
        credit.sessions_used -= 1
        value = credit.sessions_value(first=credit.sessions_used, count=1)
        event = _event(
            credit,
            Kind.UNDONE,
            by=by,
            at=at,
            note=reason,
            sessions=1,
            amount=value,
            undoes=redemption,
        )
        if credit.status != Status.FROZEN:
            _settle(credit, by=by, at=at)
        credit.save(update_fields=["sessions_used", "status", "updated_at"])
    return event


def credit_extend(*, credit_id: int, by, valid_until: datetime.date, reason: str) -> CreditEvent:
    """Move the credit's last valid day later, with a reason; an expired credit is active again."""
    reason = reason.strip()
    if not reason:
        raise CreditRefused("Give a reason for extending the credit.")
    with transaction.atomic():
        credit = _locked(credit_id)
        if valid_until <= credit.valid_until:
            raise CreditRefused(
                f"Choose a day after the current one ({_day(credit.valid_until)})."
            )
        if credit.status == Status.REFUNDED:
            raise CreditRefused("This credit was refunded: it cannot be extended.")
        was = credit.valid_until
        credit.valid_until = valid_until
        sessions, amount = 0, Decimal("0.00")
        if credit.status == Status.EXPIRED and valid_until >= _today():
            # What had expired is owed again.
            sessions, amount = _outstanding(credit)
        event = _event(
            credit,
            Kind.EXTENDED,
            by=by,
            note=f"{reason} (was valid until {_day(was)})",
            sessions=sessions,
            amount=amount,
        )
        if credit.status != Status.FROZEN:
            credit.status = _settled_status(credit, today=_today())
        credit.save(update_fields=["valid_until", "status", "updated_at"])
    return event


def credits_expire(*, today: datetime.date | None = None) -> int:
    """Mark active credits whose last valid day is before `today` (Singapore) expired."""
    today = today or _today()
    ids = PackageCredit.objects.filter(status=Status.ACTIVE, valid_until__lt=today).values_list(
        "pk", flat=True
    )
    expired = 0
    for credit_id in list(ids):
        with transaction.atomic():
            credit = _locked(credit_id)
            if credit.status != Status.ACTIVE or credit.valid_until >= today:
                continue
            _expire(credit)
            credit.save(update_fields=["status", "updated_at"])
            expired += 1
    return expired
