"""Celery tasks of the shop: thin wrappers that take ids and call a service."""

from celery import shared_task


@shared_task(name="worker.tasks.accounting_monthly_export_send")
def accounting_monthly_export_send() -> int:
    """Email last month's order export to the accountants; return its order count."""
    from shop.accounting import services as accounting

    return accounting.export_monthly_send().orders


@shared_task(
    name="worker.tasks.accounting_export_job_run",
    acks_late=True,
    time_limit=60 * 60,
    soft_time_limit=55 * 60,
)
def accounting_export_job_run(job_id: str) -> str:
    """Build a background export's file (idempotent: a finished job is left as is)."""
    from shop.accounting import services as accounting

    return accounting.export_job_run(job_id=job_id).status


@shared_task(name="worker.tasks.accounting_export_jobs_sweep")
def accounting_export_jobs_sweep() -> int:
    """Enqueue again the background exports still waiting for the worker."""
    from shop.accounting import services as accounting

    return accounting.export_jobs_sweep()
