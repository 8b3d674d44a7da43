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
import smtplib
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.core.tasks import task_publish
from shop.notifications import selectors
from shop.notifications.models import Confirmation

logger = logging.getLogger(__name__)

CommunicationEventType = get_model("communication", "CommunicationEventType")
Dispatcher = get_class("communication.utils", "Dispatcher")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")

ORDER_PLACED_CODE = "ORDER_PLACED"
CLINIC_ORDER_CODE = "CLINIC_ORDER_PLACED"
REFUND_CODE = "ORDER_REFUNDED"
EVENT_CODES = {
    Confirmation.Kind.ORDER_PLACED: ORDER_PLACED_CODE,
    Confirmation.Kind.CLINIC_ORDER: CLINIC_ORDER_CODE,
    Confirmation.Kind.REFUND: REFUND_CODE,
    # Package credit reminders (shop.packages.reminders), one email type for the three.
    Confirmation.Kind.PACKAGE_EXPIRY_FIRST: "PACKAGE_REMINDER",
    Confirmation.Kind.PACKAGE_EXPIRY_SECOND: "PACKAGE_REMINDER",
    Confirmation.Kind.PACKAGE_LAST_SESSION: "PACKAGE_REMINDER",
}

COMMUNICATIONS_FILE = Path(settings.BASE_DIR) / "catalogue_fixtures" / "communications.yaml"
ERROR_MAX_LENGTH = 2000


class ConfirmationUndeliverable(Exception):
    """The confirmation cannot be sent at all (e.g. the order has no email address)."""


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
    from worker.tasks import confirmation_send_task

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


# --- Sending ----------------------------------------------------------------


def confirmation_send(*, confirmation_id: int) -> bool:
    """Send one confirmation exactly once; return False when it had been sent already.

    The row is locked for the whole attempt, so two deliveries of the same
    task (a redelivery after a crash, or the sweep's copy) run one after the
    other and the second finds the sent-marker. A failed attempt is counted
    and its error kept, then the error is raised again for the task to retry.
    """
    error = None
    with transaction.atomic():
        row = (
            Confirmation.objects.select_for_update()
            .select_related("order")
            .get(pk=confirmation_id)
        )
        if row.status == Confirmation.Status.SENT:
            logger.info("Confirmation %s of order %s already sent", row.pk, row.order.number)
            return False
        # Count the attempt before sending: this write also takes SQLite's write lock (where
        # select_for_update does nothing), so the sent-marker below cannot fail on a busy
        # database after the email left.
        row.attempts += 1
        row.save(update_fields=["attempts", "updated_at"])
        try:
            # A savepoint: the CommunicationEvent of a failed attempt is not kept.
            with transaction.atomic():
                recipient = _deliver(row)
        except Exception as exc:
            row.last_error = error_describe(exc)[:ERROR_MAX_LENGTH]
            row.save(update_fields=["last_error", "updated_at"])
            error = exc
        else:
            row.status = Confirmation.Status.SENT
            row.sent_at = timezone.now()
            row.recipient = recipient
            row.last_error = ""
            row.save(
                update_fields=[
                    "status",
                    "sent_at",
                    "recipient",
                    "last_error",
                    "updated_at",
                ]
            )
            logger.info(
                "Sent %s of order %s to %s", row.get_kind_display(), row.order.number, recipient
            )
    if error is not None:
        raise error
    return True


def error_describe(exc: BaseException) -> str:
    """Return an error as staff read it, e.g. "SMTP 451: Try again later"."""
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        return f"SMTP {exc.smtp_code}: {message}"
    return f"{type(exc).__name__}: {exc}"


def confirmation_fail(*, confirmation_id: int, error: str) -> None:
    """Mark a confirmation as failed for good (retries exhausted): staff see it on the order."""
    Confirmation.objects.filter(pk=confirmation_id).exclude(
        status=Confirmation.Status.SENT
    ).update(
        status=Confirmation.Status.FAILED,
        last_error=error[:ERROR_MAX_LENGTH],
        updated_at=timezone.now(),
    )
    logger.error("Confirmation %s failed for good: %s", confirmation_id, error)


def confirmation_messages(*, confirmation: Confirmation) -> dict:
    """Render a confirmation's subject, text and HTML through its CommunicationEventType.

    The context is built here, from the database alone: the worker has no request.
    """
    context = {
        "order": confirmation.order,
        "confirmation": confirmation,
        "refund_amount": confirmation.amount,
        "refund_reference": confirmation.reference,
    }
    if confirmation.kind == Confirmation.Kind.REFUND:
        context["refunded_in_all"] = selectors.order_refunded_as_of(
            order=confirmation.order, reference=confirmation.reference
        )
    return Dispatcher().get_messages(EVENT_CODES[confirmation.kind], context)


def _deliver(confirmation: Confirmation) -> str:
    order = confirmation.order
    code = EVENT_CODES[confirmation.kind]
    messages = confirmation_messages(confirmation=confirmation)
    order_dispatcher = OrderDispatcher()
    if confirmation.kind == Confirmation.Kind.CLINIC_ORDER:
        recipient = settings.CLINIC_ORDERS_EMAIL
        sent = order_dispatcher.dispatcher.dispatch_direct_messages(recipient, messages)
        event_type = CommunicationEventType.objects.filter(code=code).first()
        order_dispatcher.create_communication_event(order, event_type, {"email": sent})
        return recipient
    recipient = selectors.order_recipient(order=order)
    if not recipient:
        raise ConfirmationUndeliverable(f"Order {order.number} has no email address")
    order_dispatcher.dispatch_order_messages(order, messages, code)
    return recipient


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
