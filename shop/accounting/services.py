"""Background exports of the accountants: recorded, handed to the worker, swept."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shop.accounting.models import ExportJob
from shop.accounting.rows import ExportSpec
from shop.accounting.selectors import order_export_count
from shop.accounting.tasks.run import accounting_export_job_run
from shop.core.queue import task_publish

logger = logging.getLogger(__name__)


def export_job_enqueue(*, job_id) -> bool:
    """Hand the job to the worker; on a broker outage log it and leave it to the sweep."""
    return task_publish(
        task=accounting_export_job_run, args=[str(job_id)], what=f"export job {job_id}"
    )


def export_job_create(*, spec: ExportSpec, user) -> ExportJob:
    """Record a background export and enqueue it once the record is committed."""
    job = ExportJob.objects.create(
        user=user,
        date_from=spec.date_from,
        date_to=spec.date_to,
        statuses=",".join(spec.statuses),
        per=spec.per,
        format=spec.format,
        total_orders=order_export_count(
            date_from=spec.date_from, date_to=spec.date_to, statuses=spec.statuses
        ),
    )
    transaction.on_commit(lambda: export_job_enqueue(job_id=job.id))
    return job


def export_jobs_sweep(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Enqueue again the jobs still queued after `older_than` (the broker was down); count them."""
    stale = ExportJob.objects.filter(
        status=ExportJob.Status.PENDING, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    return sum(1 for job_id in stale if export_job_enqueue(job_id=job_id))
