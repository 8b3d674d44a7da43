"""An issued document never changes: frozen at issue, rendered once, served as stored."""

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse
from oscar.core.loading import get_model

from shop.invoices.models import Document, DocumentKind
from shop.invoices.pdf import snapshot_html
from tests.factories import paid_order_create, product_by_sku
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


def test_invoices_issue_missing_issues_the_old_orders_in_order_date_order(catalogue, settings):
    settings.SHOP_INVOICE_PREFIX = "OLD-"
    orders = [paid_order_create(items=[("ACU-1", 1)]) for _ in range(3)]
    # Orders placed before invoices existed: no invoice; the second was placed first.
    Document.objects.filter(order__in=orders).delete()
    Order.objects.filter(pk=orders[1].pk).update(
        date_placed=orders[0].date_placed.replace(year=2025)
    )
    unpaid = paid_order_create(items=[("ACU-1", 1)])
    Document.objects.filter(order=unpaid).delete()
    PaymentEvent.objects.filter(order=unpaid).delete()
    numbers = Document.objects.filter(kind=DocumentKind.INVOICE).count()

    call_command("invoices_issue", "--missing", verbosity=0)

    issued = {d.order_id: d.number for d in Document.objects.filter(order__in=orders)}
    assert [issued[o.pk] for o in (orders[1], orders[0], orders[2])] == sorted(issued.values())
    assert not Document.objects.filter(order=unpaid).exists()
    assert Document.objects.filter(kind=DocumentKind.INVOICE).count() == numbers + 3
    call_command("invoices_issue", "--missing", verbosity=0)  # again: nothing new
    assert Document.objects.filter(kind=DocumentKind.INVOICE).count() == numbers + 3
