"""Celery tasks of the accounting exports: thin wrappers that take ids and call a service.

Their names are the ones they had in the former `worker/tasks.py`, so a task queued or
scheduled under them before a deploy still runs.
"""

from worker.celery import app


@app.task(name="worker.tasks.accounting_monthly_export_send")
def accounting_monthly_export_send() -> int:
    """Email last month's order export to the accountants; return its order count."""
    from shop.accounting import services as accounting

    return accounting.export_monthly_send().orders


@app.task(
    name="worker.tasks.accounting_export_job_run",
    acks_late=True,
    time_limit=60 * 60,
    soft_time_limit=55 * 60,
)
def accounting_export_job_run(job_id: str) -> str:
    """Build a background export's file (idempotent: a finished job is left as is)."""
    from shop.accounting import services as accounting

    return accounting.export_job_run(job_id=job_id).status


@app.task(name="worker.tasks.accounting_export_jobs_sweep")
def accounting_export_jobs_sweep() -> int:
    """Enqueue again the background exports still waiting for the worker."""
    from shop.accounting import services as accounting

    return accounting.export_jobs_sweep()
