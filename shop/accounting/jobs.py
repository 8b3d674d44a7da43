"""The accountants' exports the worker builds: background files, the monthly email, purges.

Run by the tasks in shop/accounting/tasks/; nothing here publishes a task.
"""

import tempfile
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMessage
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from shop.accounting.columns import ExportTotals
from shop.accounting.exports import (
    export_bytes,
    export_job_spec,
    export_log_finish,
    export_log_start,
    month_previous,
)
from shop.accounting.formats import csv_value, export_file_write
from shop.accounting.models import EXPORTS_FOLDER, ExportFormat, ExportJob, ExportOrigin, ExportPer
from shop.accounting.rows import ExportSpec
from shop.core.selectors import CLINIC_TZ
from shop.core.storage import private_storage
from shop.packages.liability import liability_file


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


def export_monthly_send(*, today: date | None = None) -> ExportTotals:
    """Email last month's export (CSV and XLSX, one row per line) to ACCOUNTANTS_EMAIL.

    Last month's package liability (opening, sold, redeemed, refunded, expired,
    closing) goes with it as a CSV file of its own.
    """
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
    liability, liability_name = liability_file(file_format="csv", date_from=first, date_to=last)
    message.attach(liability_name, liability, "text/csv")
    summary = "\n".join(
        f"{label}: {csv_value(value)}" for label, value, _ in totals.as_pairs(per=per)
    )
    message.body = (
        f"The orders placed from {first.isoformat()} to {last.isoformat()} (Singapore time) "
        f"are attached as CSV and Excel files.\n\n{summary}\n\n"
        f"The unused-sessions liability of treatment packages for the month is attached "
        f"as {liability_name}.\n"
    )
    message.send()
    return totals
