"""Services of the accountants' exports: the export log, background jobs, the monthly email.

The columns are declared in shop.accounting.columns, the rows generated in
shop.accounting.rows and the files written in shop.accounting.formats.
"""

import io
import logging
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from shop.accounting.columns import ExportTotals
from shop.accounting.formats import csv_value, export_csv_chunks, export_file_write
from shop.accounting.models import (
    EXPORTS_FOLDER,
    ExportFormat,
    ExportJob,
    ExportLog,
    ExportOrigin,
    ExportPer,
)
from shop.accounting.rows import ExportSpec
from shop.accounting.selectors import order_export_count
from shop.accounting.tasks import accounting_export_job_run
from shop.core.queue import task_publish
from shop.core.selectors import CLINIC_TZ
from shop.core.storage import private_storage

logger = logging.getLogger(__name__)


# --- Log ----------------------------------------------------------------------


def export_log_start(*, spec: ExportSpec, user=None, origin: str) -> ExportLog:
    """Record that an export starts (its row count is set when it is complete)."""
    return ExportLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        origin=origin,
        date_from=spec.date_from,
        date_to=spec.date_to,
        statuses=",".join(spec.statuses),
        per=spec.per,
        format=spec.format,
    )


def export_log_finish(*, log: ExportLog, totals: ExportTotals) -> None:
    """Record the row and order counts of a complete export."""
    ExportLog.objects.filter(pk=log.pk).update(
        row_count=totals.rows, order_count=totals.orders, completed_at=timezone.now()
    )


def export_csv_stream(*, spec: ExportSpec, log: ExportLog) -> Iterator[bytes]:
    """Yield a CSV download piece by piece and complete its log entry at the end."""
    totals = ExportTotals()
    yield from export_csv_chunks(spec=spec, totals=totals)
    export_log_finish(log=log, totals=totals)


def export_bytes(*, spec: ExportSpec, user=None, origin: str) -> tuple[bytes, ExportTotals]:
    """Build a (small) export in memory, logged; return its content and totals."""
    log = export_log_start(spec=spec, user=user, origin=origin)
    buffer = io.BytesIO()
    totals = export_file_write(spec=spec, target=buffer)
    export_log_finish(log=log, totals=totals)
    return buffer.getvalue(), totals


# --- Background XLSX jobs -------------------------------------------------------


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


def export_job_spec(*, job: ExportJob) -> ExportSpec:
    """Return what the job exports."""
    return ExportSpec(
        date_from=job.date_from,
        date_to=job.date_to,
        per=job.per,
        format=job.format,
        statuses=tuple(s for s in job.statuses.split(",") if s),
    )


def export_job_run(*, job_id) -> ExportJob:
    """Build the job's file, recording progress per chunk, then email its owner."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job  # delivered twice: the file exists already
    spec = export_job_spec(job=job)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, processed_orders=0)

    def progress(count: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(processed_orders=F("processed_orders") + count)

    log = export_log_start(spec=spec, user=job.user, origin=ExportOrigin.JOB)
    try:
        with tempfile.TemporaryFile() as handle:
            totals = export_file_write(spec=spec, target=handle, on_chunk=progress)
            handle.seek(0)
            job.refresh_from_db()
            job.file.save(spec.filename, File(handle), save=False)
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    export_log_finish(log=log, totals=totals)
    job.status = ExportJob.Status.DONE
    job.finished_at = timezone.now()
    job.log = log
    job.save(update_fields=["file", "status", "finished_at", "log"])
    if job.user and job.user.email:
        export_job_notify(job=job, totals=totals)
    return job


def export_job_notify(*, job: ExportJob, totals: ExportTotals) -> None:
    """Email the job's owner that the export is ready, with the link to download it."""
    link = settings.SITE_URL + reverse("accounting-dashboard:accounting-job", args=[job.pk])
    body = (
        f"The order export {job.date_from} to {job.date_to} is ready "
        f"({totals.orders} orders, {totals.rows} rows).\n\n"
        f"Download it here (sign in as an accountant): {link}\n"
    )
    EmailMessage(
        subject=f"{settings.CLINIC_NAME}: your order export is ready",
        body=body,
        to=[job.user.email],
    ).send()


def export_jobs_sweep(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Enqueue again the jobs still queued after `older_than` (the broker was down); count them."""
    stale = ExportJob.objects.filter(
        status=ExportJob.Status.PENDING, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    return sum(1 for job_id in stale if export_job_enqueue(job_id=job_id))


def export_files_purge(*, now: datetime | None = None) -> int:
    """Delete the export files older than the retention period; return how many went.

    A finished job's file goes ACCOUNTING_EXPORT_RETENTION_DAYS after the job
    finished (the job stays, marked expired, with its log); a file in the exports
    folder that no job names (an interrupted save) goes once it is as old.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCOUNTING_EXPORT_RETENTION_DAYS)
    deleted = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        deleted += 1
    named = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
    try:
        _, files = private_storage.listdir(EXPORTS_FOLDER)
    except FileNotFoundError:
        return deleted
    for filename in files:
        name = f"{EXPORTS_FOLDER}/{filename}"
        if name not in named and private_storage.get_modified_time(name) < cutoff:
            private_storage.delete(name)
            deleted += 1
    return deleted


# --- Monthly email ------------------------------------------------------------


def month_previous(*, today: date) -> tuple[date, date]:
    """Return the first and last day of the month before `today`'s."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def export_monthly_send(*, today: date | None = None) -> ExportTotals:
    """Email last month's export (CSV and XLSX, one row per line) to ACCOUNTANTS_EMAIL."""
    today = today or timezone.localdate(timezone=CLINIC_TZ)
    first, last = month_previous(today=today)
    per = getattr(settings, "ACCOUNTING_MONTHLY_PER", ExportPer.LINE)
    message = EmailMessage(
        subject=f"{settings.CLINIC_NAME}: orders of {first:%B %Y}",
        to=[settings.ACCOUNTANTS_EMAIL],
    )
    totals = ExportTotals()
    for fmt, mimetype in (
        (ExportFormat.CSV, "text/csv"),
        (ExportFormat.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        spec = ExportSpec(date_from=first, date_to=last, per=per, format=fmt)
        content, totals = export_bytes(spec=spec, origin=ExportOrigin.MONTHLY)
        message.attach(spec.filename, content, mimetype)
    summary = "\n".join(
        f"{label}: {csv_value(value)}" for label, value, _ in totals.as_pairs(per=per)
    )
    message.body = (
        f"The orders placed from {first.isoformat()} to {last.isoformat()} (Singapore time) "
        f"are attached as CSV and Excel files.\n\n{summary}\n"
    )
    message.send()
    return totals
