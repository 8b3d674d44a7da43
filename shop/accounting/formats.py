"""The files of the accountants' export: CSV and XLSX, written from the rows and columns."""

import csv
from collections.abc import Callable, Iterator
from copy import copy
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, repeat
from operator import add, itemgetter
from typing import BinaryIO

from shop.accounting.columns import (
    DATE,
    DATETIME,
    INT,
    LINE_PART_COLUMNS,
    MONEY,
    ORDER_COLUMNS,
    TEXT,
    ExportTotals,
    export_columns,
)
from shop.accounting.models import ExportFormat, ExportPer
from shop.accounting.rows import ExportSpec, export_chunks, export_rows
from shop.accounting.selectors import CHUNK_SIZE

# A text cell starting with one of these is a formula to a spreadsheet (OWASP: CSV
# injection). Names and titles come from patients and staff: such text is written as text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    """Return whether `value` is text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_text(value):
    """Return a text value for the CSV: formula-like text gets a leading apostrophe (OWASP)."""
    return f"'{value}" if formula_like(value) else value


def csv_value(value) -> str:
    """Return a value as the CSV file and the emails write it."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- CSV --------------------------------------------------------------------


def _csv_prepare(columns) -> Callable[[list], None]:
    """Return what turns rows of values of `columns` into the CSV's, in place, made once.

    The csv module writes None as "" and numbers with str(): a Decimal with two
    places comes out plain ("12.30"). Only the times need converting, and formula-like
    text escaping; numbers stay numbers. Formula-like text is rare: each text column
    of the rows is searched for it in one pass done in C (`map`, `filter`), and its
    cells are changed only where it is found (a row given as a tuple is then replaced
    by a list). Rows with times are lists (an order's values).
    """
    dates = [index for index, column in enumerate(columns) if column.kind == DATETIME]
    texts = [index for index, column in enumerate(columns) if column.kind == TEXT]

    def prepare(rows: list) -> None:
        for index in dates:
            for row in rows:
                moment = row[index]
                if moment is not None:
                    row[index] = moment.isoformat(" ", "seconds")
        for index in texts:
            cells = filter(None, map(itemgetter(index), rows))  # no None, no ""
            if any(map(str.startswith, cells, repeat(FORMULA_PREFIXES))):
                for position, row in enumerate(rows):
                    if formula_like(row[index]):
                        rows[position] = row = list(row) if isinstance(row, tuple) else row
                        row[index] = csv_text(row[index])

    return prepare


class _Lines(list):
    """The text lines a csv.writer writes, kept as a list (a writer writes a row per call)."""

    write = list.append


def export_csv_chunks(
    *,
    spec: ExportSpec,
    totals: ExportTotals,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """Yield the CSV file in pieces: UTF-8 with BOM, ISO dates, plain decimals, a totals row.

    In the per-line layout an order's values are converted and written once, not once
    per line: its CSV text (without its line end) and a comma start each line's text.
    The csv module quotes each field on its own, so the lines are those it would write
    for the whole rows.
    """
    columns = export_columns(per=spec.per)
    order_prepare, line_prepare = _csv_prepare(ORDER_COLUMNS), _csv_prepare(LINE_PART_COLUMNS)
    orders, lines = _Lines(), _Lines()
    order_writer, line_writer = csv.writer(orders), csv.writer(lines)
    end = len(order_writer.dialect.lineterminator)

    def chunk_text(chunk) -> str:
        order_prepare(chunk.bases)
        order_writer.writerows(chunk.bases)
        if chunk.parts is None:
            text = "".join(orders)
        else:
            line_prepare(flat := list(chain.from_iterable(chunk.parts)))
            line_writer.writerows(flat)
            starts = [order[:-end] + "," for order in orders]
            each = chain.from_iterable(map(repeat, starts, map(len, chunk.parts)))
            text = "".join(map(add, each, lines))
        orders.clear()
        lines.clear()
        return text

    order_writer.writerow([column.header for column in columns])
    yield ("\ufeff" + orders.pop()).encode("utf-8")
    for chunk in export_chunks(spec=spec, totals=totals, chunk_size=chunk_size, on_chunk=on_chunk):
        data = chunk_text(chunk).encode("utf-8")
        del chunk  # not kept while the next chunk is read
        yield data
    order_writer.writerow([csv_text(csv_value(value)) for value in totals.as_row(columns)])
    yield orders.pop().encode("utf-8")


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
    large export does not hold every cell in memory. openpyxl is imported here:
    a CSV export does not load it (some 18 MB).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

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

    def text(value) -> WriteOnlyCell:
        # A string cell, never a formula; Excel keeps it text when someone edits it.
        item = WriteOnlyCell(sheet, value=value)
        item.data_type = "s"
        item.quotePrefix = True
        return item

    def styled(value, kind: str):
        if kind == TEXT and formula_like(value):
            return text(value)
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
    summary.append([cell("Statuses", TEXT), styled(", ".join(spec.statuses) or "All", TEXT)])
    for label, values in totals.distinct_pairs(per=spec.per):
        summary.append([cell(label, TEXT), styled(values, TEXT)])
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
