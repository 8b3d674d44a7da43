"""Celery tasks of the accountants' exports, found by the worker's `autodiscover_tasks()`.

The names are those the tasks had in the former worker/tasks.py, so messages
already queued and beat entries made under those names still run. The task that
builds a background file and the beat tasks are two modules: the services
publish the first (importing it), and the sweep runs a service that publishes,
so one module holding both would import itself back through the services.
"""

from shop.accounting.tasks.beat import (
    accounting_export_files_purge,
    accounting_export_jobs_sweep,
    accounting_monthly_export_send,
)
from shop.accounting.tasks.run import accounting_export_job_run

__all__ = [
    "accounting_export_files_purge",
    "accounting_export_job_run",
    "accounting_export_jobs_sweep",
    "accounting_monthly_export_send",
]
