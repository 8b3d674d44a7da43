"""Writes of the confirmations: record them with the order, enqueue, send exactly once, sweep.

The flow (an outbox): the order's transaction records a pending Confirmation
row per email; after commit the send task is enqueued; the worker locks the
row, skips it if already sent, renders and sends through Oscar's
communication framework, and marks it sent in the same transaction. A broker
outage at checkout only delays the email: the periodic sweep enqueues every
confirmation still pending after a few minutes.
"""

import datetime
import functools
import logging
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop.core.queue import task_publish
from shop.notifications import selectors
from shop.notifications.models import Confirmation
from shop.notifications.tasks.send import confirmation_send_task

logger = logging.getLogger(__name__)

CommunicationEventType = get_model("communication", "CommunicationEventType")

COMMUNICATIONS_FILE = Path(settings.BASE_DIR) / "catalogue_fixtures" / "communications.yaml"


# --- Recording and enqueueing -----------------------------------------------


def order_confirmations_record(*, order) -> list[Confirmation]:
    """Record the patient's confirmation and the clinic's notice of a new order.

    Called inside the transaction that places the order, so the rows commit
    with it; the send tasks are enqueued once it has committed.
    """
    rows = []
    for kind in (Confirmation.Kind.ORDER_PLACED, Confirmation.Kind.CLINIC_ORDER):
        row, created = Confirmation.objects.get_or_create(order=order, kind=kind, reference="")
        if created:
            confirmation_enqueue_on_commit(confirmation_id=row.pk)
        rows.append(row)
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
    transaction.on_commit(
        functools.partial(confirmation_enqueue, confirmation_id=confirmation_id), robust=True
    )


def confirmation_enqueue(*, confirmation_id: int) -> bool:
    """Publish the send task; on a broker outage log it and return False (never raises)."""
    if not task_publish(
        task=confirmation_send_task, args=[confirmation_id], what=f"confirmation {confirmation_id}"
    ):
        return False
    Confirmation.objects.filter(pk=confirmation_id).update(enqueued_at=timezone.now())
    return True


def confirmations_sweep(*, older_than: datetime.timedelta | None = None) -> int:
    """Enqueue every confirmation still pending after a while; return how many were enqueued.

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
            break
        enqueued += 1
    if enqueued:
        logger.info("Sweep enqueued %s unsent confirmation(s)", enqueued)
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
