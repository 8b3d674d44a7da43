"""The accountants' register of tax documents: one row per invoice and credit note.

Credit notes count negative, so the register's net equals what the shop kept.
Its invoice totals equal the order export's totals of the same orders.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal

from django.db.models import QuerySet

from shop.core.selectors import CLINIC_TZ
from shop.invoices.models import Document, DocumentKind

ZERO = Decimal("0.00")
HEADER = ["Number", "Date", "Kind", "Order", "Customer", "Excl. GST", "GST", "Total incl. GST"]


@dataclass
class RegisterTotals:
    """Sums of a register: invoices, credit notes (positive amounts) and the net."""

    invoices: int = 0
    credit_notes: int = 0
    invoiced: dict = field(default_factory=lambda: {"excl": ZERO, "gst": ZERO, "incl": ZERO})
    credited: dict = field(default_factory=lambda: {"excl": ZERO, "gst": ZERO, "incl": ZERO})

    def net(self, key: str) -> Decimal:
        return self.invoiced[key] - self.credited[key]


def month_bounds(*, month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Return the instants [start, end) of the month of `month`, in Singapore time."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return (
        datetime.datetime.combine(first, time.min, tzinfo=CLINIC_TZ),
        datetime.datetime.combine(following, time.min, tzinfo=CLINIC_TZ),
    )


def documents_of_month(*, month: datetime.date) -> QuerySet:
    """Return the documents issued in the month (Singapore time), in number order of issue."""
    start, end = month_bounds(month=month)
    return (
        Document.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .select_related("order")
        .order_by("issued_at", "id")
    )


def register_rows(*, documents, totals: RegisterTotals) -> list[list]:
    """Return the register's rows of `documents`, adding them up into `totals`."""
    rows = []
    for document in documents:
        incl, gst = document.total_incl_gst, document.gst
        excl = incl - gst
        credit = document.kind == DocumentKind.CREDIT_NOTE
        sums = totals.credited if credit else totals.invoiced
        sums["excl"] += excl
        sums["gst"] += gst
        sums["incl"] += incl
        if credit:
            totals.credit_notes += 1
        else:
            totals.invoices += 1
        sign = -1 if credit else 1
        rows.append(
            [
                document.number,
                document.snapshot.get("date", ""),
                document.title,
                document.order.number,
                document.snapshot.get("customer", {}).get("name", ""),
                format(sign * excl, "f"),
                format(sign * gst, "f"),
                format(sign * incl, "f"),
            ]
        )
    return rows


def register_csv(*, month: datetime.date) -> tuple[bytes, RegisterTotals]:
    """Return the month's register as CSV (UTF-8 with BOM, for Excel) and its totals."""
    totals = RegisterTotals()
    rows = register_rows(documents=documents_of_month(month=month), totals=totals)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    writer.writerow(
        [
            "TOTAL",
            "",
            f"{totals.invoices} invoices, {totals.credit_notes} credit notes",
            "",
            "",
            *(format(totals.net(key), "f") for key in ("excl", "gst", "incl")),
        ]
    )
    return buffer.getvalue().encode("utf-8"), totals
