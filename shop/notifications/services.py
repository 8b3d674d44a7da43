"""Writes of the outbox: record the emails owed, enqueue them after commit, sweep, resend.

The flow: the transaction that owes an email records a pending row (a
Confirmation for an order's confirmations, rendered by the worker; an
OutboxEmail for any other email, recorded by the outbox email backend); after
commit the send task is enqueued; the worker sends exactly once
(`shop.notifications.delivery`). A broker outage only delays the email: the
periodic sweep enqueues every row still pending after a few minutes.
"""

import datetime
import logging
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop.core.queue import after_commit, task_publish
from shop.notifications import selectors
from shop.notifications.models import Confirmation, OutboxEmail
from shop.notifications.tasks.send import confirmation_send_task, outbox_email_send_task

logger = logging.getLogger(__name__)

CommunicationEventType = get_model("communication", "CommunicationEventType")

COMMUNICATIONS_FILE = Path(settings.BASE_DIR) / "catalogue_fixtures" / "communications.yaml"


# --- Recording and enqueueing -----------------------------------------------


def order_confirmations_record(*, order) -> list[Confirmation]:
    """Record the patient's confirmation and the clinic's notice of a new order.

    Called inside the transaction that places the order, so the rows commit
    with it; the send tasks are enqueued once it has committed.
    """
    rows, created_ids = [], []
    for kind in (Confirmation.Kind.ORDER_PLACED, Confirmation.Kind.CLINIC_ORDER):
        row, created = Confirmation.objects.get_or_create(order=order, kind=kind, reference="")
        if created:
            created_ids.append(row.pk)
        rows.append(row)
    if created_ids:
        # One task for both, the patient's first: the order is read once for the two emails.
        after_commit(confirmations_enqueue, confirmation_ids=created_ids)
    return rows


def refund_confirmation_record(*, order, amount: Decimal, reference: str) -> Confirmation:
    """Record the patient's confirmation of a refund, sent once the refund has committed."""
    row, created = Confirmation.objects.get_or_create(
        order=order,
        kind=Confirmation.Kind.REFUND,
        reference=reference or "",
        defaults={"amount": amount},
    )
    if created:
        confirmation_enqueue_on_commit(confirmation_id=row.pk)
    return row


def confirmation_enqueue_on_commit(*, confirmation_id: int) -> None:
    """Enqueue the send task once the current transaction commits."""
    after_commit(confirmation_enqueue, confirmation_id=confirmation_id)


def confirmation_enqueue(*, confirmation_id: int) -> bool:
    """Publish the send task; on a broker outage log it and return False (never raises)."""
    return confirmations_enqueue(confirmation_ids=[confirmation_id])


def confirmations_enqueue(*, confirmation_ids: list[int]) -> bool:
    """Publish one send task for these confirmations of one order, sent in this order; on a
    broker outage log it and return False (never raises): the sweep enqueues them later."""
    what = "confirmation " + ", ".join(str(pk) for pk in confirmation_ids)
    if not task_publish(task=confirmation_send_task, args=list(confirmation_ids), what=what):
        return False
    Confirmation.objects.filter(pk__in=confirmation_ids).update(enqueued_at=timezone.now())
    return True


def outbox_email_record(*, message: EmailMessage) -> OutboxEmail:
    """Record an email in the outbox, to be sent by the worker once the transaction commits."""
    row = OutboxEmail.objects.create(
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        recipients=list(message.recipients()),
        subject=str(message.subject or "")[:998],
        message=message.message().as_bytes(),
    )
    after_commit(outbox_email_enqueue, email_id=row.pk)
    return row


def outbox_email_enqueue(*, email_id: int) -> bool:
    """Publish the email's send task; on a broker outage log it and return False."""
    if not task_publish(task=outbox_email_send_task, args=[email_id], what=f"email {email_id}"):
        return False
    OutboxEmail.objects.filter(pk=email_id).update(enqueued_at=timezone.now())
    return True


def confirmations_sweep(*, older_than: datetime.timedelta | None = None) -> int:
    """Enqueue every confirmation and email still pending after a while; return how many.

    Stops at the first publish that fails: the broker is still down, and the
    next sweep tries again.
    """
    if older_than is None:
        older_than = datetime.timedelta(minutes=settings.CONFIRMATION_SWEEP_AFTER_MINUTES)
    enqueued = 0
    for confirmation_id in selectors.confirmations_due(older_than=older_than).values_list(
        "pk", flat=True
    ):
        if not confirmation_enqueue(confirmation_id=confirmation_id):
            return enqueued
        enqueued += 1
    for email_id in selectors.outbox_emails_due(older_than=older_than).values_list(
        "pk", flat=True
    ):
        if not outbox_email_enqueue(email_id=email_id):
            return enqueued
        enqueued += 1
    if enqueued:
        logger.info("Sweep enqueued %s unsent email(s)", enqueued)
    return enqueued


def confirmation_resend(*, confirmation_id: int) -> Confirmation:
    """Put a failed confirmation back to pending and enqueue it again (staff's "send again")."""
    with transaction.atomic():
        row = Confirmation.objects.select_for_update().get(pk=confirmation_id)
        if row.status != Confirmation.Status.SENT:
            row.status = Confirmation.Status.PENDING
            row.save(update_fields=["status", "updated_at"])
            confirmation_enqueue_on_commit(confirmation_id=row.pk)
    return row


def outbox_email_resend(*, email_id: int) -> OutboxEmail:
    """Put a failed email back to pending and enqueue it again (staff's "send again")."""
    with transaction.atomic():
        row = OutboxEmail.objects.select_for_update().get(pk=email_id)
        if row.status != OutboxEmail.Status.SENT:
            row.status = OutboxEmail.Status.PENDING
            row.save(update_fields=["status", "updated_at"])
            after_commit(outbox_email_enqueue, email_id=row.pk)
    return row


# --- Fixtures ---------------------------------------------------------------


def communication_types_load(*, path: Path = COMMUNICATIONS_FILE, refresh: bool = False) -> int:
    """Create the shop's email types (CommunicationEventType) from the fixtures; return how many.

    Their templates are stored in the rows, so staff edit them in the
    dashboard; a later load keeps those edits unless `refresh` is set.
    """
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    created_count = 0
    for item in data["communication_event_types"]:
        fields = {
            "name": item["name"],
            "category": item.get("category", CommunicationEventType.ORDER_RELATED),
            "email_subject_template": item["email_subject_template"].strip(),
        }
        for field, key in (
            ("email_body_template", "email_body_template_file"),
            ("email_body_html_template", "email_body_html_template_file"),
        ):
            fields[field] = (path.parent / item[key]).read_text(encoding="utf-8")
        event_type, created = CommunicationEventType.objects.get_or_create(
            code=item["code"], defaults=fields
        )
        if created:
            created_count += 1
        elif refresh:
            for field, value in fields.items():
                setattr(event_type, field, value)
            event_type.save()
    return created_count
