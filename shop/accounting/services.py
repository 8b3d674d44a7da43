"""Order exports for the accountants: rows, totals, CSV and XLSX files, logs, jobs, emails.

Amounts come from the database as Decimal and stay Decimal. The GST of an order
is total incl. GST - total excl. GST (Oscar's fields). In the per-line export
the order's goods total and goods GST are shared between its lines in whole
cents by the largest-remainder method, and shipping is a line of its own, so
the lines of an order add up exactly to the order's total and GST.
"""

import csv
import io
import logging
import tempfile
from collections.abc import Callable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMessage
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shop.accounting.models import ExportFormat, ExportJob, ExportLog, ExportOrigin, ExportPer
from shop.accounting.selectors import (
    CHUNK_SIZE,
    SGT,
    OrderRecord,
    order_chunks_export,
    order_export_count,
)
from shop.core.queue import task_publish
from worker.celery import app as celery_app

logger = logging.getLogger(__name__)

MONEY, INT, DATETIME, TEXT, DATE = "money", "int", "datetime", "text", "date"
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    kind: str
    width: int = 14


ORDER_COLUMNS: tuple[Column, ...] = (
    Column("order_number", "Order number", TEXT, 14),
    Column("placed_at", "Placed at (SGT)", DATETIME, 20),
    Column("paid_at", "Paid at (SGT)", DATETIME, 20),
    Column("status", "Status", TEXT, 18),
    Column("customer_name", "Customer name", TEXT, 24),
    Column("email", "Email", TEXT, 28),
    Column("item_count", "Item count", INT, 10),
    Column("subtotal_excl_gst", "Subtotal excl. GST", MONEY),
    Column("gst", "GST", MONEY),
    Column("total_incl_gst", "Total incl. GST", MONEY),
    Column("discount", "Discount", MONEY),
    Column("shipping_incl_gst", "Shipping incl. GST", MONEY),
    Column("currency", "Currency", TEXT, 9),
    Column("payment_method", "Payment method", TEXT),
    Column("payment_intent", "Stripe PaymentIntent id", TEXT, 30),
    Column("refunded", "Refunded amount", MONEY),
    Column("last_refund_at", "Last refund date (SGT)", DATETIME, 20),
    Column("net_received", "Net received", MONEY),
)
LINE_COLUMNS: tuple[Column, ...] = ORDER_COLUMNS + (
    Column("line_number", "Line number", INT, 8),
    Column("sku", "SKU", TEXT, 12),
    Column("product_title", "Product title", TEXT, 40),
    Column("item_type", "Item type", TEXT, 18),
    Column("sessions", "Sessions", INT, 9),
    Column("quantity", "Quantity", INT, 9),
    Column("unit_price_incl_gst", "Unit price incl. GST", MONEY),
    Column("line_total_incl_gst", "Line total incl. GST", MONEY),
    Column("line_gst", "Line GST", MONEY),
    Column("line_excl_gst", "Line excl. GST", MONEY),
)
SHIPPING_ITEM_TYPE = "Shipping"


def export_columns(*, per: str) -> tuple[Column, ...]:
    """Return the columns of an export with one row per order or per line."""
    return LINE_COLUMNS if per == ExportPer.LINE else ORDER_COLUMNS


@dataclass(frozen=True)
class ExportSpec:
    """What to export: SGT days date_from..date_to (both included), statuses, layout, format."""

    date_from: date
    date_to: date
    per: str = ExportPer.ORDER
    format: str = ExportFormat.CSV
    statuses: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        kind = "order-lines" if self.per == ExportPer.LINE else "orders"
        return f"{kind}-{self.date_from.isoformat()}-to-{self.date_to.isoformat()}.{self.format}"


@dataclass
class ExportTotals:
    """Sums of an export; order amounts count each order once, also in the per-line layout."""

    orders: int = 0
    rows: int = 0
    items: int = 0
    subtotal_excl_gst: Decimal = ZERO
    gst: Decimal = ZERO
    total_incl_gst: Decimal = ZERO
    discount: Decimal = ZERO
    shipping_incl_gst: Decimal = ZERO
    refunded: Decimal = ZERO
    net_received: Decimal = ZERO
    quantity: int = 0
    line_total_incl_gst: Decimal = ZERO
    line_gst: Decimal = ZERO
    line_excl_gst: Decimal = ZERO
    currencies: set[str] = field(default_factory=set)

    def as_row(self, columns: Sequence[Column]) -> list:
        """Return the totals as a last row aligned with `columns`."""
        values = {
            "order_number": "TOTAL",
            "status": f"{self.orders} orders",
            "item_count": self.items,
            "subtotal_excl_gst": self.subtotal_excl_gst,
            "gst": self.gst,
            "total_incl_gst": self.total_incl_gst,
            "discount": self.discount,
            "shipping_incl_gst": self.shipping_incl_gst,
            "currency": ", ".join(sorted(self.currencies)),
            "refunded": self.refunded,
            "net_received": self.net_received,
            "quantity": self.quantity,
            "line_total_incl_gst": self.line_total_incl_gst,
            "line_gst": self.line_gst,
            "line_excl_gst": self.line_excl_gst,
        }
        return [values.get(column.key) for column in columns]

    def as_pairs(self, *, per: str) -> list[tuple[str, object, str]]:
        """Return (label, value, kind) of each total, for the totals sheet and emails."""
        pairs = [
            ("Orders", self.orders, INT),
            ("Rows", self.rows, INT),
            ("Items", self.items, INT),
            ("Subtotal excl. GST", self.subtotal_excl_gst, MONEY),
            ("GST", self.gst, MONEY),
            ("Total incl. GST", self.total_incl_gst, MONEY),
            ("Discount", self.discount, MONEY),
            ("Shipping incl. GST", self.shipping_incl_gst, MONEY),
            ("Refunded amount", self.refunded, MONEY),
            ("Net received", self.net_received, MONEY),
        ]
        if per == ExportPer.LINE:
            pairs += [
                ("Quantity", self.quantity, INT),
                ("Line total incl. GST", self.line_total_incl_gst, MONEY),
                ("Line GST", self.line_gst, MONEY),
                ("Line excl. GST", self.line_excl_gst, MONEY),
            ]
        return pairs


def cents_allocate(*, total: int, weights: Sequence[int]) -> list[int]:
    """Share `total` cents in proportion to `weights`, exactly, by the largest remainder.

    Each share is first rounded down; the cents left over go one each to the
    shares with the largest remainders (ties: the earlier share). Equal weights
    are used when all weights are zero.
    """
    count = len(weights)
    if not count:
        return []
    sign = -1 if total < 0 else 1
    amount = abs(total)
    parts = [abs(weight) for weight in weights]
    whole = sum(parts)
    if not whole:
        parts, whole = [1] * count, count
    elif whole == amount:
        return [sign * part for part in parts]  # already adds up: nothing to round
    shares = [amount * part // whole for part in parts]
    remainders = [amount * part % whole for part in parts]
    left = amount - sum(shares)
    for index in sorted(range(count), key=lambda i: (-remainders[i], i))[:left]:
        shares[index] += 1
    return [sign * share for share in shares]


def _cents(amount: Decimal) -> int:
    """Return an amount of at most two decimal places (as stored) in whole cents, exactly."""
    return int(amount.scaleb(2))


def _amount(cents: int) -> Decimal:
    """Return whole cents as an amount with two decimal places."""
    return Decimal(cents).scaleb(-2)


def _local(moment: datetime | None) -> datetime | None:
    """Return an instant as a naive Singapore wall-clock time (what the files show)."""
    return moment.astimezone(SGT).replace(tzinfo=None) if moment else None


def order_refunded(*, order: OrderRecord) -> Decimal:
    """Return the refunded amount: the "Refunded" events, else the source's refunded amount."""
    return order.refunded if order.refund_events else order.source_refunded


def order_row(*, order: OrderRecord) -> list:
    """Return the order's values in the order of ORDER_COLUMNS."""
    refunded = order_refunded(order=order)
    return [
        order.number,
        _local(order.placed_at),
        _local(order.paid_at),
        order.status,
        order.customer_name,
        order.email,
        sum(line.quantity for line in order.lines),
        order.total_excl_tax,
        order.total_incl_tax - order.total_excl_tax,
        order.total_incl_tax,
        order.discount,
        order.shipping_incl_tax,
        order.currency,
        "; ".join(order.payment_methods),
        "; ".join(order.payment_references),
        refunded,
        _local(order.last_refund_at),
        order.total_incl_tax - refunded,
    ]


def order_line_rows(*, order: OrderRecord) -> list[list]:
    """Return the line part of each per-line row of the order (LINE_COLUMNS after the order's).

    The goods total (total - shipping) and goods GST (GST - shipping GST) are
    allocated to the lines in proportion to their recorded line prices (after
    discounts) and line GST, so every cent of the order is accounted for even
    where the recorded lines were rounded differently from the order.
    Shipping, where charged, is a last line of its own.
    """
    shipping_gst = order.shipping_incl_tax - order.shipping_excl_tax
    goods_incl = order.total_incl_tax - order.shipping_incl_tax
    goods_gst = (order.total_incl_tax - order.total_excl_tax) - shipping_gst
    weights = [_cents(line.line_price_incl_tax) for line in order.lines]
    incl_cents = cents_allocate(total=_cents(goods_incl), weights=weights)
    # The GST Oscar recorded on each line leads; only the rounding cents move.
    tax_weights = [
        _cents(line.line_price_incl_tax - line.line_price_excl_tax) for line in order.lines
    ]
    gst_cents = cents_allocate(
        total=_cents(goods_gst), weights=tax_weights if any(tax_weights) else incl_cents
    )
    rows = []
    for number, (line, incl, gst) in enumerate(
        zip(order.lines, incl_cents, gst_cents, strict=True), start=1
    ):
        rows.append(
            [
                number,
                line.sku,
                line.title,
                line.item_type,
                line.sessions,
                line.quantity,
                line.unit_price_incl_tax,
                _amount(incl),
                _amount(gst),
                _amount(incl - gst),
            ]
        )
    if order.shipping_incl_tax or order.shipping_excl_tax:
        rows.append(
            [
                len(order.lines) + 1,
                "",
                "Shipping",
                SHIPPING_ITEM_TYPE,
                None,
                1,
                order.shipping_incl_tax,
                order.shipping_incl_tax,
                shipping_gst,
                order.shipping_excl_tax,
            ]
        )
    return rows


def export_rows(
    *,
    spec: ExportSpec,
    totals: ExportTotals,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[list[list]]:
    """Yield the rows of the export chunk by chunk, adding them up into `totals`."""
    per_line = spec.per == ExportPer.LINE
    for chunk in order_chunks_export(
        date_from=spec.date_from,
        date_to=spec.date_to,
        statuses=spec.statuses,
        chunk_size=chunk_size,
    ):
        rows = []
        for order in chunk:
            base = order_row(order=order)
            totals.orders += 1
            totals.items += base[6]
            totals.subtotal_excl_gst += base[7]
            totals.gst += base[8]
            totals.total_incl_gst += base[9]
            totals.discount += base[10]
            totals.shipping_incl_gst += base[11]
            totals.currencies.add(base[12])
            totals.refunded += base[15]
            totals.net_received += base[17]
            if per_line:
                for line in order_line_rows(order=order):
                    totals.quantity += line[5]
                    totals.line_total_incl_gst += line[7]
                    totals.line_gst += line[8]
                    totals.line_excl_gst += line[9]
                    rows.append(base + line)
            else:
                rows.append(base)
        totals.rows += len(rows)
        if on_chunk:
            on_chunk(len(chunk))
        yield rows


# --- CSV --------------------------------------------------------------------


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_csv_chunks(
    *,
    spec: ExportSpec,
    totals: ExportTotals,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """Yield the CSV file in pieces: UTF-8 with BOM, ISO dates, plain decimals, a totals row."""
    columns = export_columns(per=spec.per)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # The csv module writes None as "" and numbers with str(): a Decimal with two places
    # comes out plain ("12.30"). Only the date columns need converting, once per row.
    dates = [index for index, column in enumerate(columns) if column.kind == DATETIME]

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return data

    buffer.write("\ufeff")
    writer.writerow([column.header for column in columns])
    yield flush()
    for rows in export_rows(spec=spec, totals=totals, chunk_size=chunk_size, on_chunk=on_chunk):
        for row in rows:
            for index in dates:
                moment = row[index]
                if moment is not None:
                    row[index] = moment.isoformat(sep=" ", timespec="seconds")
        writer.writerows(rows)
        yield flush()
    writer.writerow([_csv_value(value) for value in totals.as_row(columns)])
    yield flush()


# --- XLSX -------------------------------------------------------------------

_NUMBER_FORMATS = {MONEY: "0.00", INT: "0", DATETIME: "yyyy-mm-dd hh:mm:ss", DATE: "yyyy-mm-dd"}


def export_xlsx_write(
    *,
    spec: ExportSpec,
    target: BinaryIO,
    totals: ExportTotals,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> None:
    """Write the export as an XLSX workbook: typed cells, frozen header, a totals sheet.

    The workbook is written in openpyxl's write-only mode, row by row, so a
    large export does not hold every cell in memory.
    """
    columns = export_columns(per=spec.per)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Order lines" if spec.per == ExportPer.LINE else "Orders")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)

    def cell(value, kind: str, *, font: Font | None = None) -> WriteOnlyCell:
        item = WriteOnlyCell(sheet, value=value)
        if kind in _NUMBER_FORMATS and value is not None:
            item.number_format = _NUMBER_FORMATS[kind]
        if font:
            item.font = font
        return item

    # Styled cells are slow to make: only money and times need a number format; text and
    # whole numbers go in as plain values (typed all the same), which keeps large files fast.
    templates = {kind: cell(0, kind) for kind in (MONEY, DATETIME)}

    def styled(value, kind: str):
        if value is None or kind not in templates:
            return value
        item = WriteOnlyCell(sheet, value=value)
        item._style = copy(templates[kind]._style)
        return item

    sheet.append([cell(column.header, TEXT, font=bold) for column in columns])
    kinds = [column.kind for column in columns]
    for rows in export_rows(spec=spec, totals=totals, chunk_size=chunk_size, on_chunk=on_chunk):
        for row in rows:
            sheet.append([styled(value, kind) for value, kind in zip(row, kinds, strict=True)])

    summary = workbook.create_sheet("Totals")
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 16
    summary.append([cell("Total", TEXT, font=bold), cell("Value", TEXT, font=bold)])
    summary.append([cell("From (SGT)", TEXT), cell(spec.date_from, DATE)])
    summary.append([cell("To (SGT)", TEXT), cell(spec.date_to, DATE)])
    summary.append([cell("Statuses", TEXT), cell(", ".join(spec.statuses) or "All", TEXT)])
    summary.append([cell("Currency", TEXT), cell(", ".join(sorted(totals.currencies)), TEXT)])
    for label, value, kind in totals.as_pairs(per=spec.per):
        summary.append([cell(label, TEXT), cell(value, kind)])
    workbook.save(target)


def export_file_write(
    *,
    spec: ExportSpec,
    target: BinaryIO,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> ExportTotals:
    """Write the export in its format to a binary file; return its totals."""
    totals = ExportTotals()
    if spec.format == ExportFormat.XLSX:
        export_xlsx_write(
            spec=spec, target=target, totals=totals, chunk_size=chunk_size, on_chunk=on_chunk
        )
    else:
        for piece in export_csv_chunks(
            spec=spec, totals=totals, chunk_size=chunk_size, on_chunk=on_chunk
        ):
            target.write(piece)
    return totals


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
    # Looked up by its stable name: this module is also what the accounting tasks run, so
    # importing shop.accounting.tasks here would make an import circle (until the services
    # that publish are split from the work the tasks run).
    return task_publish(
        task=celery_app.signature("worker.tasks.accounting_export_job_run"),
        args=[str(job_id)],
        what=f"export job {job_id}",
    )


def export_job_create(*, spec: ExportSpec, user) -> ExportJob:
    """Record a background export and enqueue it once the record is committed."""
    from django.db import transaction

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


# --- Monthly email ------------------------------------------------------------


def month_previous(*, today: date) -> tuple[date, date]:
    """Return the first and last day of the month before `today`'s."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def export_monthly_send(*, today: date | None = None) -> ExportTotals:
    """Email last month's export (CSV and XLSX, one row per line) to ACCOUNTANTS_EMAIL."""
    today = today or timezone.localdate(timezone=SGT)
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
        f"{label}: {_csv_value(value)}" for label, value, _ in totals.as_pairs(per=per)
    )
    message.body = (
        f"The orders placed from {first.isoformat()} to {last.isoformat()} (Singapore time) "
        f"are attached as CSV and Excel files.\n\n{summary}\n"
    )
    message.send()
    return totals
