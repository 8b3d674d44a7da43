"""The sweeps: documents and ZIPs the worker never heard of (broker down) are done later."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.invoices import archives, services
from shop.invoices.models import Document, DocumentArchive
from tests.factories import paid_order_create
from tests.fixtures.services import wait_until
from tests.invoices.conftest import invoice_of, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_render_sweep_has_the_worker_render_a_pdf_left_unrendered(
    catalogue, celery_worker_process
):
    # As if the broker was down when the order was paid: the invoice has no PDF yet.
    order = paid_order_create(items=[("TUI-1", 1)], guest_email="wong@example.com")
    invoice = invoice_of(order)
    Document.objects.filter(pk=invoice.pk).update(pdf="", sha256="", rendered_at=None)
    assert services.documents_render_sweep() == 0  # too recent: its own task may still come

    Document.objects.filter(pk=invoice.pk).update(issued_at=timezone.now() - timedelta(hours=1))
    assert services.documents_render_sweep() == 1
    rendered = wait_until(
        lambda: Document.objects.exclude(pdf="").filter(pk=invoice.pk).first(),
        timeout=60,
        what=f"the PDF of {invoice.number}",
    )
    with rendered.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert invoice.number in text and "wong@example.com" in text
    assert services.documents_render_sweep() == 0  # rendered: nothing left to sweep


def test_the_archive_sweep_has_the_worker_build_a_zip_left_pending(
    catalogue, celery_worker_process
):
    paid_order_create(items=[("TUI-1", 1)])
    month = timezone.localdate().replace(day=1)
    archive = DocumentArchive.objects.create(month=month)  # its task was never published
    assert archives.document_archives_sweep() == 0

    DocumentArchive.objects.filter(pk=archive.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    assert archives.document_archives_sweep() == 1
    done = wait_until(
        lambda: DocumentArchive.objects.filter(pk=archive.pk, status="done").first(),
        timeout=90,
        what="the swept documents ZIP",
    )
    assert done.file and done.processed == done.total == 1
    assert archives.document_archives_sweep() == 0
