"""Sending the outbox's emails exactly once: what the worker's send tasks run.

The worker locks the row, skips it if it was sent already, renders and sends,
and marks it sent in the same transaction. This module publishes no task (the
tasks import it), so the import graph stays free of circles.
"""

import email
import email.generator
import email.message
import io
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.invoices import selectors as invoice_selectors
from shop.invoices import services as invoice_services
from shop.notifications import selectors
from shop.notifications.connection import delivery_connection
from shop.notifications.models import Confirmation, OutboxEmail

logger = logging.getLogger(__name__)

CommunicationEventType = get_model("communication", "CommunicationEventType")
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
ERROR_MAX_LENGTH = 2000


class ConfirmationUndeliverable(Exception):
    """The confirmation cannot be sent at all (e.g. the order has no email address)."""


def confirmation_send(*, confirmation_id: int) -> bool:
    """Send one confirmation exactly once; return False when it had been sent already."""
    return confirmations_send(confirmation_ids=[confirmation_id]) == 1


def confirmations_send(*, confirmation_ids: list[int]) -> int:
    """Send each of these confirmations exactly once; return how many were sent now.

    An order's confirmation and the clinic's copy go together (one task): the second
    reuses what the first read of the order (its lines, amounts, links, package credits
    and QR codes), its email types and its mail connection. Each row is locked for its own
    attempt in a transaction of its own, so two deliveries of the same task (a redelivery
    after a crash, or the sweep's copy) run one after the other and the second finds the
    sent-marker; one email's failure leaves the other's marker. A failed attempt is
    counted and its error kept; the first error is raised again, once every confirmation
    had its try, for the task to retry (the sent ones are passed over then).
    """
    shared = _Shared()
    sent, error = 0, None
    for confirmation_id in confirmation_ids:
        try:
            sent += _confirmation_send_once(confirmation_id=confirmation_id, shared=shared)
        except Exception as exc:
            error = error or exc
    if error is not None:
        raise error
    return sent


class _Shared:
    """What the confirmations of one task read once: their orders, contexts, email types."""

    def __init__(self):
        self.orders: dict[int, object] = {}
        self.values: dict[int, dict] = {}
        self.event_types: dict[str, object] = {}
        # The package credits' tag keeps its rows here (packages_tags.order_credits).
        self.credits: dict = {}


def _confirmation_send_once(*, confirmation_id: int, shared: _Shared) -> bool:
    error = None
    with transaction.atomic():
        # The confirmation's row alone: locking its order too would make the order's other
        # emails wait for this one's PDF and sending.
        row = None
        if shared.orders:  # the task's second email: its order was read for the first
            row = Confirmation.objects.select_for_update().get(pk=confirmation_id)
            if row.order_id in shared.orders:
                row.order = shared.orders[row.order_id]
            else:
                row = None
        if row is None:
            row = selectors.confirmation_for_sending(confirmation_id=confirmation_id)
            shared.orders[row.order_id] = row.order
        order = row.order
        if row.status == Confirmation.Status.SENT:
            logger.info("Confirmation %s of order %s already sent", row.pk, order.number)
            return False
        # Count the attempt before sending: this write also takes SQLite's write lock (where
        # select_for_update does nothing), so the sent-marker below cannot fail on a busy
        # database after the email left.
        row.attempts += 1
        row.save(update_fields=["attempts", "updated_at"])
        try:
            # A savepoint: the CommunicationEvent of a failed attempt is not kept.
            with transaction.atomic():
                recipient = _deliver(row, shared=shared)
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
                "Sent %s of order %s to %s", row.get_kind_display(), order.number, recipient
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


def confirmation_messages(
    *,
    confirmation: Confirmation,
    attached: dict | None = None,
    event_type=None,
    shared: _Shared | None = None,
) -> dict:
    """Render a confirmation's subject, text and HTML through its CommunicationEventType.

    The context is built here, from the database alone (the worker has no
    request), and holds plain values only: staff edit these templates.
    `attached` names the tax document the email carries ("Tax invoice INV-...").
    """
    shared = shared or _Shared()
    order_values = shared.values.get(confirmation.order_id)
    context = selectors.confirmation_email_context(
        confirmation=confirmation, order_values=order_values
    )
    shared.values[confirmation.order_id] = context["order"]
    context["attached_document"] = attached
    # Not a template variable (a name with an underscore is none): the tags' memo.
    context["_package_credits"] = shared.credits
    if event_type is None:
        event_type = _event_type(confirmation, shared=shared)
    return event_type.get_messages(context)


def _event_type(confirmation: Confirmation, *, shared: _Shared | None = None):
    """Return the confirmation's email type; an unsaved one (Oscar's default templates) if none."""
    code = EVENT_CODES[confirmation.kind]
    if shared is not None and code in shared.event_types:
        return shared.event_types[code]
    event_type = CommunicationEventType.objects.filter(
        code=code
    ).first() or CommunicationEventType(code=code)
    if shared is not None:
        shared.event_types[code] = event_type
    return event_type


def confirmation_document(*, confirmation: Confirmation) -> tuple[dict, tuple] | None:
    """Return the tax document a patient's confirmation carries: (what it is, attachment).

    The order confirmation carries the tax invoice (a receipt when not GST-registered),
    a refund's the credit note of that refund; the clinic's notice carries none. A
    document that cannot be rendered now is left out (logged): the patient still gets
    the confirmation and downloads the document from the order's page.
    """
    order = confirmation.order
    try:
        if confirmation.kind == Confirmation.Kind.ORDER_PLACED:
            document = invoice_selectors.order_invoice(order=order)
        elif confirmation.kind == Confirmation.Kind.REFUND:
            document = invoice_selectors.refund_credit_note(
                order=order, reference=confirmation.reference
            )
        else:
            return None
        attachment = invoice_services.document_attachment(document=document)
    except Exception:
        logger.exception("Could not attach the tax document of order %s", order.number)
        return None
    if attachment is None:
        return None
    label = document.title.capitalize()  # "Tax invoice", "Receipt", "Credit note"
    return {"label": label, "number": document.number}, attachment


def _deliver(confirmation: Confirmation, *, shared: _Shared) -> str:
    order = confirmation.order
    document = confirmation_document(confirmation=confirmation)
    attached, attachments = (document[0], [document[1]]) if document else (None, None)
    event_type = _event_type(confirmation, shared=shared)
    messages = confirmation_messages(
        confirmation=confirmation, attached=attached, event_type=event_type, shared=shared
    )
    if confirmation.kind == Confirmation.Kind.CLINIC_ORDER:
        recipient = settings.CLINIC_ORDERS_EMAIL
    else:
        recipient = selectors.order_recipient(order=order)
        if not recipient:
            raise ConfirmationUndeliverable(f"Order {order.number} has no email address")
    with delivery_connection() as mail_connection:
        order_dispatcher = OrderDispatcher(mail_connection=mail_connection)
        dispatcher = order_dispatcher.dispatcher
        # As Oscar's OrderDispatcher.dispatch_order_messages, with the email type read once.
        if confirmation.kind == Confirmation.Kind.CLINIC_ORDER:
            sent = {"email": dispatcher.dispatch_direct_messages(recipient, messages)}
        elif order.is_anonymous:
            sent = dispatcher.dispatch_anonymous_messages(recipient, messages, attachments)
        else:
            sent = dispatcher.dispatch_user_messages(order.user, messages, attachments)
    order_dispatcher.create_communication_event(order, event_type if event_type.pk else None, sent)
    return recipient


# --- The outbox's other emails ------------------------------------------------


class _RecordedMIME(email.message.Message):
    """A recorded message, written out again as Django's backends ask (`linesep`)."""

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        out = io.BytesIO()
        generator = email.generator.BytesGenerator(out, mangle_from_=False, maxheaderlen=0)
        generator.flatten(self, unixfrom=unixfrom, linesep=linesep)
        return out.getvalue()


class RecordedEmailMessage(EmailMessage):
    """An email of the outbox, sent exactly as it was recorded (headers, parts, attachments)."""

    def __init__(self, *, row: OutboxEmail):
        super().__init__(subject=row.subject, from_email=row.from_email)
        self._raw = bytes(row.message)
        self._recipients = list(row.recipients)

    def recipients(self) -> list[str]:
        return list(self._recipients)

    def message(self):
        return email.message_from_bytes(self._raw, _class=_RecordedMIME)


def outbox_email_send(*, email_id: int) -> bool:
    """Send one email of the outbox exactly once; return False when it had been sent already.

    As `confirmation_send`: the row stays locked for the attempt, a failed
    attempt is counted with its error and raised again for the task to retry.
    """
    error = None
    with transaction.atomic():
        row = OutboxEmail.objects.select_for_update().get(pk=email_id)
        if row.status == OutboxEmail.Status.SENT:
            logger.info("Email %s already sent", row.pk)
            return False
        row.attempts += 1
        row.save(update_fields=["attempts", "updated_at"])
        try:
            with delivery_connection() as mail_connection:
                mail_connection.send_messages([RecordedEmailMessage(row=row)])
        except Exception as exc:
            row.last_error = error_describe(exc)[:ERROR_MAX_LENGTH]
            row.save(update_fields=["last_error", "updated_at"])
            error = exc
        else:
            row.status = OutboxEmail.Status.SENT
            row.sent_at = timezone.now()
            row.last_error = ""
            row.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
            logger.info("Sent email %s (%s) to %s", row.pk, row.subject, ", ".join(row.recipients))
    if error is not None:
        raise error
    return True


def outbox_email_fail(*, email_id: int, error: str) -> None:
    """Mark an email as failed for good (retries exhausted): staff see it in the dashboard."""
    OutboxEmail.objects.filter(pk=email_id).exclude(status=OutboxEmail.Status.SENT).update(
        status=OutboxEmail.Status.FAILED,
        last_error=error[:ERROR_MAX_LENGTH],
        updated_at=timezone.now(),
    )
    logger.error("Email %s failed for good: %s", email_id, error)
