"""The accountants' beat tasks: the monthly email, the sweep of waiting jobs, the purge."""

from worker.celery import app


@app.task(name="worker.tasks.accounting_monthly_export_send")
def accounting_monthly_export_send() -> int:
    """Email last month's order export to the accountants; return its order count."""
    from shop.accounting import jobs

    return jobs.export_monthly_send().orders


@app.task(name="worker.tasks.accounting_export_jobs_sweep")
def accounting_export_jobs_sweep() -> int:
    """Enqueue again the background exports still waiting for the worker."""
    from shop.accounting import services

    return services.export_jobs_sweep()


@app.task(name="shop.accounting.tasks.accounting_export_files_purge")
def accounting_export_files_purge() -> int:
    """Delete the export files older than the retention period (beat, daily)."""
    from shop.accounting import jobs

    return jobs.export_files_purge()
