"""Celery tasks of the shop: thin wrappers that take ids and call a service."""

import smtplib

from celery import Task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from shop.notifications import services as notifications
from worker.celery import app

# Worth retrying: the SMTP server refused or was unreachable (socket errors are OSErrors),
# or the database was briefly unavailable.
RETRYABLE_ERRORS = (smtplib.SMTPException, OSError, OperationalError, InterfaceError)


class ConfirmationTask(Task):
    """Mark the confirmation failed once its retries are spent, for staff to see."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        confirmation_id = args[0] if args else kwargs.get("confirmation_id")
        if confirmation_id is not None:
            notifications.confirmation_fail(
                confirmation_id=confirmation_id, error=notifications.error_describe(exc)
            )


@app.task(
    base=ConfirmationTask,
    autoretry_for=RETRYABLE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=settings.CONFIRMATION_SEND_MAX_RETRIES,
    # Safe to run twice: the service keeps a sent-marker. A crashed worker's task comes back.
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def confirmation_send_task(confirmation_id: int) -> bool:
    """Send one confirmation email (exactly once, whatever the deliveries)."""
    return notifications.confirmation_send(confirmation_id=confirmation_id)


@app.task(ignore_result=True)
def confirmations_sweep_task() -> int:
    """Enqueue the confirmations still unsent after a few minutes."""
    return notifications.confirmations_sweep()
