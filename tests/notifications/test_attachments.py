"""The patient's emails carry the tax documents: the invoice, then each refund's credit note."""

from decimal import Decimal

import pytest
from django.db import transaction

from shop.invoices.models import DocumentKind
from shop.payments import refunds as payments_refunds
from tests.fixtures.notifications import confirmations_settled
from tests.fixtures.services import wait_until
from tests.invoices.conftest import pdf_text

GST_NO = "M90312345A"


def _pdfs(message) -> list[tuple[str, str]]:
    """Return (filename, text) of each PDF the email carries."""
    return [
        (part.get_filename(), pdf_text(part.get_content()))
        for part in message.iter_attachments()
        if part.get_content_type() == "application/pdf"
    ]


def _bodies(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


@pytest.mark.django_db(transaction=True)
def test_confirmation_carries_the_tax_invoice_and_refund_email_the_credit_note(
    start_worker, smtp_server, place_paid_order, settings
):
    settings.SHOP_GST_REG_NO = GST_NO  # printed on the invoice, issued in this process
    start_worker(GST_REGISTRATION_NUMBER=GST_NO)  # the worker's emails print it too
    order = place_paid_order(skus={"TUI-5": 1, "WP-MOXA": 1}, guest_email="tan@example.com")
    rows = confirmations_settled(order)
    assert {row.status for row in rows} == {"sent"}, [row.last_error for row in rows]
    invoice = order.documents.get(kind=DocumentKind.INVOICE)

    (to_patient,) = smtp_server.to("tan@example.com")
    ((filename, text),) = _pdfs(to_patient)
    assert filename == f"{invoice.number}.pdf"
    assert "Tax Invoice" in text and invoice.number in text and GST_NO in text
    body, html = _bodies(to_patient)
    assert f"Tax invoice {invoice.number} attached" in body
    assert f"Tax invoice {invoice.number} attached" in html
    assert f"GST Reg. No.: {GST_NO}" in body and f"GST Reg. No.: {GST_NO}" in html

    (to_clinic,) = smtp_server.to(settings.CLINIC_ORDERS_EMAIL)
    assert _pdfs(to_clinic) == []
    assert "attached" not in _bodies(to_clinic)[0]

    with transaction.atomic():
        payments_refunds.refund_record(order=order, amount=Decimal("20.00"), reference="re_cn")
    wait_until(
        lambda: [r for r in confirmations_settled(order) if r.kind == "refund"] or None,
        what="the refund confirmation",
    )
    note = order.documents.get(kind=DocumentKind.CREDIT_NOTE, refund_reference="re_cn")
    (refund_email,) = [m for m in smtp_server.to("tan@example.com") if "refund" in m["Subject"]]
    ((filename, text),) = _pdfs(refund_email)
    assert filename == f"{note.number}.pdf"
    assert "Credit Note" in text and note.number in text and invoice.number in text
    assert "S$20.00" in text
    assert f"Credit note {note.number} attached" in _bodies(refund_email)[0]


@pytest.mark.django_db(transaction=True)
def test_not_gst_registered_the_confirmation_carries_a_receipt_without_gst_number(
    start_worker, smtp_server, place_paid_order, settings
):
    settings.SHOP_GST_REGISTERED = False
    start_worker(GST_REGISTERED="false", GST_REGISTRATION_NUMBER=GST_NO)
    order = place_paid_order(skus={"ACU-1": 1}, guest_email="lee@example.com")
    confirmations_settled(order)
    receipt = order.documents.get(kind=DocumentKind.INVOICE)

    (to_patient,) = smtp_server.to("lee@example.com")
    ((_, text),) = _pdfs(to_patient)
    assert "Receipt" in text and "Tax Invoice" not in text and receipt.number in text
    body, _ = _bodies(to_patient)
    assert f"Receipt {receipt.number} attached" in body
    assert "GST Reg. No." not in body
