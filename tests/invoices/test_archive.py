"""An issued document never changes: frozen at issue, rendered once, served as stored."""

import hashlib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from oscar.core.loading import get_model

from shop.invoices import selectors, services
from shop.invoices.models import Document, DocumentKind
from shop.invoices.pdf import snapshot_html
from tests.factories import paid_order_create, product_by_sku, refund_record
from tests.invoices.conftest import document_text, invoice_of, pdf_text

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")

pytestmark = pytest.mark.django_db


def test_the_invoice_keeps_the_clinic_and_product_as_they_were_when_issued(
    client, catalogue, settings, clinic_staff, tmp_path
):
    settings.CLINIC_ADDRESS = "8 Old Street, Singapore 111111"
    order = paid_order_create(items=[("TUI-5", 1)])
    invoice = invoice_of(order)
    # Edited after the invoice was issued but before its PDF was rendered.
    settings.CLINIC_ADDRESS = "99 New Avenue, Singapore 222222"
    product = product_by_sku("TUI-5").parent
    product.title = "Renamed treatment"
    product.save()
    product.attr.chinese_name = "改名"
    product.attr.save()

    client.force_login(clinic_staff)
    url = reverse("invoices:download", kwargs={"pk": invoice.pk})
    first = client.get(url).content
    text = pdf_text(first)
    assert "8 Old Street" in text and "99 New Avenue" not in text
    assert "推拿" in text and "改名" not in text

    # The template changes too: the stored file is served as it is, with its checksum.
    override = tmp_path / "invoices"
    override.mkdir()
    (override / "document.html").write_text("<html><body>CHANGED TEMPLATE</body></html>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    settings.CLINIC_NAME = "Another Clinic"
    assert "CHANGED TEMPLATE" in snapshot_html(snapshot=invoice.snapshot)  # it would show
    again = client.get(url).content

    assert again == first
    invoice.refresh_from_db()
    assert hashlib.sha256(again).hexdigest() == invoice.sha256
    assert "CHANGED TEMPLATE" not in pdf_text(again)


def test_a_stored_pdf_that_no_longer_matches_its_checksum_is_not_served(
    client, catalogue, clinic_staff
):
    invoice = invoice_of(paid_order_create(items=[("ACU-1", 1)]))
    document_text(invoice)
    invoice.refresh_from_db()
    with invoice.pdf.open("wb") as handle:
        handle.write(b"%PDF-1.7 not the one issued")
    client.force_login(clinic_staff)

    response = client.get(reverse("invoices:download", kwargs={"pk": invoice.pk}))

    assert response.status_code == 503


def test_the_pdf_is_stored_privately_under_an_unguessable_name(catalogue, settings):
    invoice = invoice_of(paid_order_create(items=[("ACU-1", 1)]))
    document_text(invoice)
    invoice.refresh_from_db()

    path = invoice.pdf.path
    assert path.startswith(str(settings.PRIVATE_ROOT)) and not path.startswith(
        str(settings.MEDIA_ROOT)
    )
    assert invoice.number not in path and invoice.order.number not in path


def test_invoices_issue_missing_issues_old_orders_in_order_date_order_then_refunds(
    catalogue, settings
):
    settings.SHOP_INVOICE_PREFIX = "OLD-"
    orders = [paid_order_create(items=[("ACU-1", 1)]) for _ in range(3)]
    refund_record(order=orders[2], amount=Decimal("10.00"), refunded_at=orders[2].date_placed)
    # Orders and a refund recorded before invoices existed; the second order was placed first.
    Document.objects.filter(order__in=orders, kind=DocumentKind.CREDIT_NOTE).delete()
    Document.objects.filter(order__in=orders).delete()
    Order.objects.filter(pk=orders[1].pk).update(
        date_placed=orders[0].date_placed.replace(year=2025)
    )
    unpaid = paid_order_create(items=[("ACU-1", 1)])
    Document.objects.filter(order=unpaid).delete()
    PaymentEvent.objects.filter(order=unpaid).delete()
    before = Document.objects.count()

    call_command("invoices_issue", "--missing", verbosity=0)

    issued = {
        d.order_id: d.number
        for d in Document.objects.filter(order__in=orders, kind=DocumentKind.INVOICE)
    }
    assert [issued[o.pk] for o in (orders[1], orders[0], orders[2])] == sorted(issued.values())
    note = Document.objects.get(kind=DocumentKind.CREDIT_NOTE, order=orders[2])
    assert note.total_incl_gst == Decimal("10.00") and note.corrects.order == orders[2]
    assert not Document.objects.filter(order=unpaid).exists()
    assert Document.objects.count() == before + 4
    call_command("invoices_issue", "--missing", verbosity=0)  # again: nothing new
    assert Document.objects.count() == before + 4


def test_a_failure_to_issue_never_costs_the_order_nor_a_number(catalogue, monkeypatch):
    first = invoice_of(paid_order_create(items=[("ACU-1", 1)]))

    def broken(**kwargs):
        raise RuntimeError("a bug in the invoice")

    with monkeypatch.context() as patch:  # a fault injected in the shop's own code
        patch.setattr(selectors, "order_invoice_snapshot", broken)
        order = paid_order_create(items=[("ACU-1", 1)])
    assert Order.objects.filter(pk=order.pk).exists()
    assert not order.documents.exists()

    services.documents_issue_missing()
    later = invoice_of(order)
    assert int(later.number[-6:]) == int(first.number[-6:]) + 1


def test_the_invoice_and_credit_note_come_as_email_attachments(catalogue):
    order = paid_order_create(items=[("KWT-1", 1)])
    refund_record(
        order=order, amount=Decimal("5.00"), refunded_at=order.date_placed, reference="re_1"
    )

    name, content, mimetype = services.order_invoice_attachment(order=order)
    assert name == f"{invoice_of(order).number}.pdf" and mimetype == "application/pdf"
    assert "Tax Invoice" in pdf_text(content)
    name, content, _ = services.refund_credit_note_attachment(order=order, reference="re_1")
    assert name.startswith("CN-") and "Credit Note" in pdf_text(content)
    assert services.refund_credit_note_attachment(order=order, reference="re_other") is None
