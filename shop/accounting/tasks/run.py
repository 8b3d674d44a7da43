"""The task that builds one background export's file (published by the services)."""

from worker.celery import app


@app.task(
    name="worker.tasks.accounting_export_job_run",
    acks_late=True,
    time_limit=60 * 60,
    soft_time_limit=55 * 60,
)
def accounting_export_job_run(job_id: str) -> str:
    """Build a background export's file (idempotent: a finished job is left as is)."""
    from shop.accounting import jobs

    return jobs.export_job_run(job_id=job_id).status
