"""The unused-sessions liability (deferred revenue) of package credits: as of a day, for a period.

Every CreditEvent carries its change to what the clinic still owes (sessions and
S$, GST-inclusive), so the figures are sums of events up to the end of a day in
Asia/Singapore: closing = opening + sold - redeemed - refunded - expired, to the
cent, by construction. A report is a fixed number of SQL queries, however many
credits there are. GST is computed per package row (amount x rate / (100 + rate));
the total row adds up the rows.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from openpyxl import Workbook

from shop.core.money import gst_part
from shop.core.selectors import CLINIC_TZ
from shop.packages.models import CreditEvent

Kind = CreditEvent.Kind
ZERO = Decimal("0.00")

AS_OF_HEADERS = [
    "Package",
    "SKU",
    "Sessions per package",
    "Credits outstanding",
    "Sessions outstanding",
    "Amount outstanding incl. GST",
    "GST",
    "Amount outstanding excl. GST",
]
PERIOD_FIGURES = ("opening", "sold", "redeemed", "refunded", "expired", "closing")
PERIOD_HEADERS = ["Package", "SKU"] + [
    f"{name.capitalize()} {unit}" for name in PERIOD_FIGURES for unit in ("sessions", "S$")
]
# Which period figure each kind of event moves, and with which sign (redeemed etc. are shown
# as positive amounts taken off the balance).
_FIGURE_OF_KIND = {
    Kind.PURCHASED: ("sold", 1),
    Kind.REDEEMED: ("redeemed", -1),
    Kind.UNDONE: ("redeemed", -1),
    Kind.REFUNDED: ("refunded", -1),
    Kind.EXPIRED: ("expired", -1),
    Kind.EXTENDED: ("expired", -1),  # an expired credit extended is owed again
}


def _day_end(day: datetime.date) -> datetime.datetime:
    """Return the first moment after `day` in Singapore."""
    following = day + datetime.timedelta(days=1)
    return datetime.datetime(following.year, following.month, following.day, tzinfo=CLINIC_TZ)


@dataclass
class AsOfRow:
    package: str
    sku: str
    sessions_per_package: int | None
    credits: int = 0
    sessions: int = 0
    amount: Decimal = ZERO

    @property
    def gst(self) -> Decimal:
        return gst_part(self.amount)

    def values(self, *, gst: Decimal | None = None) -> list:
        gst = self.gst if gst is None else gst
        return [
            self.package,
            self.sku,
            self.sessions_per_package,
            self.credits,
            self.sessions,
            self.amount,
            gst,
            self.amount - gst,
        ]


@dataclass
class AsOfReport:
    day: datetime.date
    rows: list[AsOfRow] = field(default_factory=list)

    def total(self) -> list:
        total = AsOfRow(package="Total", sku="", sessions_per_package=None)
        for row in self.rows:
            total.credits += row.credits
            total.sessions += row.sessions
            total.amount += row.amount
        return total.values(gst=sum((row.gst for row in self.rows), ZERO))

    def table(self) -> list[list]:
        return [AS_OF_HEADERS, *(row.values() for row in self.rows), self.total()]


def liability_as_of(*, day: datetime.date) -> AsOfReport:
    """Return what the clinic owes in unused sessions at the end of `day` (Singapore)."""
    per_credit = (
        CreditEvent.objects.filter(created_at__lt=_day_end(day))
        .values("credit_id", "credit__sku", "credit__title", "credit__sessions_bought")
        .annotate(sessions=Sum("sessions"), amount=Sum("amount"))
        .order_by("credit__sku", "credit_id")
    )
    rows: dict[str, AsOfRow] = {}
    for item in per_credit:
        sku = item["credit__sku"]
        row = rows.get(sku)
        if row is None:
            row = rows[sku] = AsOfRow(
                package=item["credit__title"],
                sku=sku,
                sessions_per_package=item["credit__sessions_bought"],
            )
        if item["sessions"]:
            row.credits += 1
        row.sessions += item["sessions"] or 0
        row.amount += item["amount"] or ZERO
    return AsOfReport(day=day, rows=[row for row in rows.values() if row.sessions or row.amount])


@dataclass
class PeriodReport:
    date_from: datetime.date
    date_to: datetime.date
    # sku -> (package, {figure: [sessions, amount]})
    rows: dict = field(default_factory=dict)

    def _values(self, package: str, sku: str, figures: dict) -> list:
        values = [package, sku]
        for name in PERIOD_FIGURES:
            values.extend(figures[name])
        return values

    def total(self) -> dict:
        total = {name: [0, ZERO] for name in PERIOD_FIGURES}
        for _package, figures in self.rows.values():
            for name in PERIOD_FIGURES:
                total[name][0] += figures[name][0]
                total[name][1] += figures[name][1]
        return total

    def table(self) -> list[list]:
        body = [
            self._values(package, sku, figures) for sku, (package, figures) in self.rows.items()
        ]
        return [PERIOD_HEADERS, *body, self._values("Total", "", self.total())]


def liability_for_period(*, date_from: datetime.date, date_to: datetime.date) -> PeriodReport:
    """Return opening, sold, redeemed, refunded, expired and closing by package for the days."""
    start, end = _day_end(date_from - datetime.timedelta(days=1)), _day_end(date_to)
    annotations = {
        "opening_s": Sum("sessions", filter=Q(created_at__lt=start)),
        "opening_a": Sum("amount", filter=Q(created_at__lt=start)),
    }
    in_period = Q(created_at__gte=start, created_at__lt=end)
    for kind in _FIGURE_OF_KIND:
        annotations[f"{kind}_s"] = Sum("sessions", filter=in_period & Q(kind=kind))
        annotations[f"{kind}_a"] = Sum("amount", filter=in_period & Q(kind=kind))
    grouped = (
        CreditEvent.objects.filter(created_at__lt=end)
        .values("credit__sku")
        .annotate(**annotations)
        .order_by("credit__sku")
    )
    titles = dict(
        CreditEvent.objects.filter(created_at__lt=end)
        .values_list("credit__sku", "credit__title")
        .order_by("credit__sku", "credit__title")
        .distinct()
    )
    report = PeriodReport(date_from=date_from, date_to=date_to)
    for item in grouped:
        figures = {name: [0, ZERO] for name in PERIOD_FIGURES}
        figures["opening"] = [item["opening_s"] or 0, item["opening_a"] or ZERO]
        for kind, (name, sign) in _FIGURE_OF_KIND.items():
            figures[name][0] += sign * (item[f"{kind}_s"] or 0)
            figures[name][1] += sign * (item[f"{kind}_a"] or ZERO)
        closing = figures["closing"]
        closing[0] = (
            figures["opening"][0]
            + figures["sold"][0]
            - figures["redeemed"][0]
            - figures["refunded"][0]
            - figures["expired"][0]
        )
        closing[1] = (
            figures["opening"][1]
            + figures["sold"][1]
            - figures["redeemed"][1]
            - figures["refunded"][1]
            - figures["expired"][1]
        )
        if any(value for pair in figures.values() for value in pair):
            report.rows[item["credit__sku"]] = (titles.get(item["credit__sku"], ""), figures)
    return report


def table_csv(*, table: list[list]) -> bytes:
    """Return a report table as CSV bytes (UTF-8 with a BOM, for spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table:
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(*, table: list[list], title: str) -> bytes:
    """Return a report table as an XLSX workbook (money as numbers with two decimals)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in table:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    target = io.BytesIO()
    workbook.save(target)
    return target.getvalue()


def liability_file(
    *,
    file_format: str,
    as_of: datetime.date | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> tuple[bytes, str]:
    """Return the liability report as a csv or xlsx file and its name (a day or a period)."""
    if date_from and date_to:
        table = liability_for_period(date_from=date_from, date_to=date_to).table()
        name = f"package-liability-{date_from}-to-{date_to}"
    else:
        table = liability_as_of(day=as_of).table()
        name = f"package-liability-as-of-{as_of}"
    if file_format == "xlsx":
        return table_xlsx(table=table, title="Package liability"), f"{name}.xlsx"
    return table_csv(table=table), f"{name}.csv"
