"""Building the accountants' exports: logged downloads and in-memory files."""

import io
from collections.abc import Iterator
from datetime import date, timedelta

from django.utils import timezone

from shop.accounting.columns import ExportTotals
from shop.accounting.formats import export_csv_chunks, export_file_write
from shop.accounting.models import ExportJob, ExportLog
from shop.accounting.rows import ExportSpec


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


def export_job_spec(*, job: ExportJob) -> ExportSpec:
    """Return what the job exports."""
    return ExportSpec(
        date_from=job.date_from,
        date_to=job.date_to,
        per=job.per,
        format=job.format,
        statuses=tuple(s for s in job.statuses.split(",") if s),
    )


def month_previous(*, today: date) -> tuple[date, date]:
    """Return the first and last day of the month before `today`'s."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last
