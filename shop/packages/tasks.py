"""Celery tasks of the package credits: thin, they take ids and call a service."""

from celery import shared_task


@shared_task(name="shop.packages.tasks.credits_expire_task", ignore_result=True)
def credits_expire_task() -> int:
    """Mark the credits whose last valid day (Singapore) has passed expired."""
    from shop.packages.services import credits_expire

    return credits_expire()


@shared_task(name="shop.packages.tasks.credit_reminders_task", ignore_result=True)
def credit_reminders_task() -> int:
    """Record (and so send, through the outbox) the package expiry reminders due today."""
    from shop.packages.reminders import credit_expiry_reminders_record

    return credit_expiry_reminders_record()
