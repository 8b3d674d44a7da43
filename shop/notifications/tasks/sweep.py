"""The beat task that enqueues again what the outbox still owes."""

from worker.celery import app


@app.task(name="worker.tasks.confirmations_sweep_task", ignore_result=True)
def confirmations_sweep_task() -> int:
    """Enqueue the confirmations and other emails still unsent after a few minutes."""
    from shop.notifications import services

    return services.confirmations_sweep()
