"""The tasks that send one email of the outbox (published by the notifications services)."""

import smtplib

from celery import Task
from celery.signals import worker_process_shutdown
from django.conf import settings
from django.db import InterfaceError, OperationalError

from shop.notifications.connection import connection_close
from worker.celery import app

# Worth retrying: the SMTP server refused or was unreachable (socket errors are OSErrors),
# or the database was briefly unavailable.
RETRYABLE_ERRORS = (smtplib.SMTPException, OSError, OperationalError, InterfaceError)


class OutboxSendTask(Task):
    """The options of every task that sends an email of the outbox: retried, exactly once."""

    abstract = True
    autoretry_for = RETRYABLE_ERRORS
    retry_backoff = True
    retry_backoff_max = 600
    # Celery's default jitter can retry at once: an SMTP outage of a minute then spends
    # every try. Without it the tries spread over several minutes.
    retry_jitter = False
    max_retries = settings.CONFIRMATION_SEND_MAX_RETRIES
    # Safe to run twice: the delivery keeps a sent-marker. A crashed worker's task comes back.
    acks_late = True
    reject_on_worker_lost = True
    ignore_result = True


class ConfirmationTask(OutboxSendTask):
    """Mark the confirmation failed once its retries are spent, for staff to see."""

    abstract = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from shop.notifications import delivery

        ids = list(args)
        if not ids and kwargs.get("confirmation_id") is not None:
            ids = [kwargs["confirmation_id"]]
        for confirmation_id in ids:  # a sent one stays sent
            delivery.confirmation_fail(
                confirmation_id=confirmation_id, error=delivery.error_describe(exc)
            )


class OutboxEmailTask(OutboxSendTask):
    """Mark the email failed once its retries are spent, for staff to see."""

    abstract = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from shop.notifications import delivery

        email_id = args[0] if args else kwargs.get("email_id")
        if email_id is not None:
            delivery.outbox_email_fail(email_id=email_id, error=delivery.error_describe(exc))


@app.task(name="worker.tasks.confirmation_send_task", base=ConfirmationTask)
def confirmation_send_task(confirmation_id: int, *also: int) -> bool:
    """Send a confirmation email, and the confirmations `also` of the same order after it
    (a new order's confirmation and the clinic's copy: one task, the order read once).

    Each exactly once, whatever the deliveries; True when one was sent now. The name and
    the first argument are the task's since the first release: a task queued before an
    upgrade still runs.
    """
    from shop.notifications import delivery

    return delivery.confirmations_send(confirmation_ids=[confirmation_id, *also]) > 0


@app.task(name="shop.notifications.outbox_email_send", base=OutboxEmailTask)
def outbox_email_send_task(email_id: int) -> bool:
    """Send one recorded email (exactly once, whatever the deliveries)."""
    from shop.notifications import delivery

    return delivery.outbox_email_send(email_id=email_id)


@worker_process_shutdown.connect(dispatch_uid="notifications.mail_connection_close")
def mail_connection_close(**kwargs) -> None:
    """Say goodbye (QUIT) to the mail server when a worker process ends."""
    connection_close()
