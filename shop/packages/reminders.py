"""Reminder emails of package credits, each sent exactly once through the confirmations outbox.

Reminders go some days before expiry (two intervals, settings
PACKAGE_REMINDER_FIRST_DAYS and PACKAGE_REMINDER_SECOND_DAYS) while sessions
are left, and when one session is left. Each is a Confirmation row
(kind, order, the credit's code) recorded once: the outbox's sent-marker and
sweep give the exactly-once sending. A patient who turned reminders off gets none.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from shop.core.selectors import CLINIC_TZ
from shop.notifications.models import Confirmation
from shop.notifications.services import confirmation_enqueue_on_commit
from shop.packages.models import PackageCredit, ReminderOptOut

Kind = Confirmation.Kind
SALT = "shop.packages.reminders-off"


def reminders_off_url(*, email: str) -> str:
    """Return the absolute link that turns reminders off for `email` (signed, no login)."""
    token = signing.dumps(email.lower(), salt=SALT)
    return f"{settings.SITE_URL}{reverse('packages:reminders-off', kwargs={'token': token})}"


def reminders_off_email(*, token: str) -> str | None:
    """Return the email a reminders-off token names, or None when it is not valid."""
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def reminders_turn_off(*, email: str) -> None:
    """Turn the package reminders off for `email` (idempotent)."""
    try:
        with transaction.atomic():
            ReminderOptOut.objects.get_or_create(email=email.lower())
    except IntegrityError:
        pass  # turned off at the same moment elsewhere


def _record(*, credit: PackageCredit, kind: str) -> bool:
    if ReminderOptOut.objects.filter(email=credit.email.lower()).exists():
        return False
    row, created = Confirmation.objects.get_or_create(
        order_id=credit.order_id, kind=kind, reference=credit.code
    )
    if created:
        confirmation_enqueue_on_commit(confirmation_id=row.pk)
    return created


def credit_last_session_reminder_record(*, credit: PackageCredit) -> bool:
    """Record the "one session left" reminder of a credit (once), in the current transaction."""
    if credit.status != PackageCredit.Status.ACTIVE or credit.sessions_left != 1:
        return False
    return _record(credit=credit, kind=Kind.PACKAGE_LAST_SESSION)


def credit_expiry_reminders_record(*, today: datetime.date | None = None) -> int:
    """Record the expiry reminders due today (Singapore) for active credits; return how many.

    A credit gets the first reminder once fewer than the first interval's days are
    left, the second once fewer than the second's; a missed day is caught up, and
    a credit already inside the second interval gets only the second reminder.
    """
    today = today or timezone.localdate(timezone=CLINIC_TZ)
    first = settings.PACKAGE_REMINDER_FIRST_DAYS
    second = settings.PACKAGE_REMINDER_SECOND_DAYS
    recorded = 0
    windows = (
        (Kind.PACKAGE_EXPIRY_SECOND, today, today + datetime.timedelta(days=second)),
        (
            Kind.PACKAGE_EXPIRY_FIRST,
            today + datetime.timedelta(days=second + 1),
            today + datetime.timedelta(days=first),
        ),
    )
    for kind, start, end in windows:
        sent = Confirmation.objects.filter(
            order_id=OuterRef("order_id"), kind=kind, reference=OuterRef("code")
        )
        credits = PackageCredit.objects.filter(
            status=PackageCredit.Status.ACTIVE, valid_until__range=(start, end)
        ).exclude(Exists(sent))
        for credit in credits.iterator():
            with transaction.atomic():
                recorded += _record(credit=credit, kind=kind)
    return recorded
