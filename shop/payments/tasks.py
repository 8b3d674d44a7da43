"""Celery tasks of the payments: thin, they call a service."""

from celery import shared_task


@shared_task(name="shop.payments.tasks.reservations_sweep_task", ignore_result=True)
def reservations_sweep_task() -> int:
    """Give back the stock held by payments that never succeeded."""
    from shop.payments.sweep import reservations_sweep

    return reservations_sweep()
