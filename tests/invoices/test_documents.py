"""What the tax invoices, receipts and credit notes print, read back from their PDFs."""

from decimal import Decimal

import pytest
from django.utils import timezone

from shop.accounting.columns import ORDER_COLUMNS, ExportTotals
from shop.accounting.models import ExportPer
from shop.accounting.rows import ExportSpec, export_rows
from shop.invoices.models import DocumentKind
from tests.factories import UserFactory, paid_order_create, refund_record, site_discount_create
from tests.invoices.conftest import DELIVERY, document_text, invoice_of

pytestmark = pytest.mark.django_db


def _export_lines(order) -> list[list]:
    """Return the per-line export's line part of each row of the order (the accountants' view)."""
    day = timezone.localdate(order.date_placed)  # the clinic's day, as the export reads it
    spec = ExportSpec(date_from=day, date_to=day, per=ExportPer.LINE)
    rows = [row for chunk in export_rows(spec=spec, totals=ExportTotals()) for row in chunk]
    return [row[len(ORDER_COLUMNS) :] for row in rows if row[0] == order.number]


def _sgd(amount) -> str:
    return f"S${Decimal(amount):,.2f}"


def test_tax_invoice_shows_what_iras_asks_with_amounts_of_the_order_and_export(
    catalogue, gst_number, patient
):
    site_discount_create(percent=10)
    order = paid_order_create(
        items=[("TUI-5", 1), ("WP-MOXA", 3)], user=patient, shipping_incl=DELIVERY, discount=True
    )
    invoice = invoice_of(order)
    text = document_text(invoice)

    assert "Tax Invoice" in text
    assert "Liang Yi TCM" in text and "GST Reg. No.: M90312345A" in text
    assert invoice.number.startswith("INV-") and f"Invoice no.: {invoice.number}" in text
    assert f"Order: {order.number}" in text
    assert patient.get_full_name() in text and patient.email in text
    assert "12 Tanjong Pagar Road" in text and "088443" in text
    assert f"Payment reference: pi_test_{order.number}" in text
    assert "Treatment package: 5 sessions" in text and "Valid until" in text
    assert "Tuina Acupressure" in text and "推拿" in text
    assert "GST 9%" in text and "Amount excl. GST" in text

    export = _export_lines(order)
    assert [line["incl_gst"] for line in invoice.snapshot["lines"]] == [
        f"{row[7]:.2f}" for row in export
    ]
    assert [line["gst"] for line in invoice.snapshot["lines"]] == [
        f"{row[8]:.2f}" for row in export
    ]
    for row in export:  # every line as the export allocates it, delivery included
        assert f"{_sgd(row[9])} {_sgd(row[8])} {_sgd(row[7])}" in text
    assert export[-1][3] == "Shipping" and _sgd(DELIVERY) in text

    gst = order.total_incl_tax - order.total_excl_tax
    assert f"Total excl. GST {_sgd(order.total_excl_tax)}" in text
    assert f"GST 9% {_sgd(gst)}" in text
    assert f"Total incl. GST {_sgd(order.total_incl_tax)}" in text
    assert sum(Decimal(line["incl_gst"]) for line in invoice.snapshot["lines"]) == (
        order.total_incl_tax
    )
    assert sum(Decimal(line["gst"]) for line in invoice.snapshot["lines"]) == gst
    # The discount the patient got is on the invoice.
    assert order.total_discount_incl_tax > 0 and "Discount:" in text


def test_guest_invoice_names_the_guest(catalogue, gst_number):
    order = paid_order_create(items=[("ACU-1", 2)], guest_email="wei.ming@example.com")
    text = document_text(invoice_of(order))

    assert "wei.ming@example.com" in text
    assert f"Total incl. GST {_sgd(order.total_incl_tax)}" in text


def test_a_chinese_name_prints(catalogue, gst_number):
    patient = UserFactory(first_name="美玲", last_name="陈")
    order = paid_order_create(items=[("ACU-1", 1)], user=patient)

    assert "美玲 陈" in document_text(invoice_of(order))


def test_not_gst_registered_gives_a_receipt_without_gst(catalogue, settings, gst_number):
    settings.SHOP_GST_REGISTERED = False
    order = paid_order_create(items=[("WP-HEAT", 2)], shipping_incl=DELIVERY)
    document = invoice_of(order)
    text = document_text(document)

    assert "Receipt" in text and "Tax Invoice" not in text
    assert "GST" not in text and "M90312345A" not in text
    assert f"Receipt no.: {document.number}" in text
    assert f"Total {_sgd(order.total_incl_tax)}" in text
    assert document.gst == 0


def test_credit_notes_name_the_invoice_and_give_back_its_gst_to_the_cent(catalogue, gst_number):
    order = paid_order_create(items=[("FEM-5", 1), ("WP-KNEE", 1)], shipping_incl=DELIVERY)
    invoice = invoice_of(order)
    part = Decimal("100.00")
    refund_record(order=order, amount=part, refunded_at=order.date_placed)
    rest = order.total_incl_tax - part
    refund_record(order=order, amount=rest, refunded_at=order.date_placed)

    first, second = order.documents.filter(kind=DocumentKind.CREDIT_NOTE).order_by("id")
    text = document_text(first)
    assert "Credit Note" in text and first.number.startswith("CN-")
    assert f"Corrects tax invoice {invoice.number} of {invoice.snapshot['date']}" in text
    assert f"Refund incl. GST {_sgd(part)}" in text
    assert f"GST 9% {_sgd(first.gst)}" in text and first.gst == Decimal("8.26")
    # Both refunds give back the whole invoice, GST to the cent.
    assert first.total_incl_gst + second.total_incl_gst == invoice.total_incl_gst
    assert first.gst + second.gst == invoice.gst
    assert first.corrects == second.corrects == invoice


def test_full_refund_credit_note_lists_the_refunded_lines(catalogue, gst_number):
    order = paid_order_create(items=[("TUI-1", 1), ("WP-TEAC", 2)], shipping_incl=DELIVERY)
    refund_record(order=order, amount=order.total_incl_tax, refunded_at=order.date_placed)
    note = order.documents.get(kind=DocumentKind.CREDIT_NOTE)
    text = document_text(note)

    invoice = invoice_of(order)
    assert [line["description"] for line in note.snapshot["lines"]] == [
        line["description"] for line in invoice.snapshot["lines"]
    ]
    assert "Tuina Acupressure" in text and "Standard delivery" in text
    assert note.gst == invoice.gst
    assert f"Refund incl. GST {_sgd(order.total_incl_tax)}" in text
