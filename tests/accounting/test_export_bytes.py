"""The export's files stay byte for byte what they were, whichever reader made them.

`expected/` holds the CSV files the export wrote for the orders of test_services
before it read PostgreSQL with one query per chunk; the tax document numbers (issued
with the current year) are blanked in both. On PostgreSQL the export reads its orders
with SQL (shop.accounting.sql); other databases read them through the ORM: both
readers give the same bytes.
"""

import csv
import io
import os
from pathlib import Path

import pytest

from shop.accounting import selectors
from shop.accounting.columns import ExportTotals
from shop.accounting.formats import export_csv_chunks
from shop.accounting.rows import ExportSpec
from tests.accounting.test_services import OCT, formula_patient_order, orders  # noqa: F401

EXPECTED = Path(__file__).parent / "expected"
DOCUMENT_COLUMNS = ("Tax invoice number", "Credit note numbers")


def export(spec: ExportSpec, chunk_size: int = 2000) -> bytes:
    return b"".join(export_csv_chunks(spec=spec, totals=ExportTotals(), chunk_size=chunk_size))


def documents_blanked(content: bytes) -> str:
    """Return the CSV's text with the tax document numbers blanked."""
    text = content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    blank = [rows[0].index(name) for name in DOCUMENT_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows[1:]:
        for index in blank:
            row[index] = ""
    writer.writerows([rows[0], *rows[1:]])
    return text[0] + out.getvalue()


@pytest.fixture
def both_layouts(orders, formula_patient_order):  # noqa: F811
    return {per: export(ExportSpec(**OCT, per=per)) for per in ("order", "line")}


@pytest.mark.parametrize("per", ["order", "line"])
def test_the_files_are_those_written_before(both_layouts, per):
    path = EXPECTED / f"october-per-{per}.csv"
    written = documents_blanked(both_layouts[per])
    if os.environ.get("EXPORT_EXPECTED_WRITE"):
        path.write_bytes(written.encode("utf-8"))
    assert written == path.read_bytes().decode("utf-8")


def test_sql_and_orm_readers_write_the_same_bytes(orders, formula_patient_order, monkeypatch):  # noqa: F811
    specs = [
        ExportSpec(**OCT, per="order"),
        ExportSpec(**OCT, per="line"),
        ExportSpec(**OCT, per="line", statuses=("Refunded", "Partially refunded")),
    ]
    with_sql = [export(spec, chunk_size=2) for spec in specs]
    assert b"FORMULA" in with_sql[0] and b"DISCOUNTED" in with_sql[1]
    monkeypatch.setattr(selectors, "SQL_READER_VENDORS", ())
    assert [export(spec, chunk_size=2) for spec in specs] == with_sql
    assert [export(spec) for spec in specs] == with_sql
