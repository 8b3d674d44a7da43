"""The worker renders each issued document after commit, and builds a month's ZIP."""

import hashlib
import zipfile

import pytest
from django.utils import timezone

from shop.core.selectors import CLINIC_TZ
from shop.invoices.archives import document_archive_request
from shop.invoices.models import DocumentArchive, DocumentKind
from tests.factories import paid_order_create, refund_record
from tests.fixtures.services import wait_until
from tests.invoices.conftest import invoice_of, pdf_text


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_the_documents_and_builds_the_month_s_zip(
    celery_worker_process, catalogue
):
    order = paid_order_create(items=[("YQG-5", 1)], guest_email="lim@example.com")
    refund_record(order=order, amount=order.total_incl_tax, refunded_at=order.date_placed)

    for document in order.documents.all():
        stored = wait_until(
            lambda d=document: type(d).objects.filter(pk=d.pk).exclude(pdf="").first(),
            timeout=60,
            what=f"the PDF of {document.number}",
        )
        with stored.pdf.open("rb") as handle:
            content = handle.read()
        assert hashlib.sha256(content).hexdigest() == stored.sha256
        text = pdf_text(content)
        assert stored.number in text and "lim@example.com" in text
        if stored.kind == DocumentKind.CREDIT_NOTE:
            assert invoice_of(order).number in text
        else:
            assert f"pi_test_{order.number}" in text

    # The month's documents as one ZIP, built by the worker: the PDFs as stored, the register.
    archive = document_archive_request(month=timezone.localdate(timezone=CLINIC_TZ))
    done = wait_until(
        lambda: DocumentArchive.objects.filter(pk=archive.pk, status="done").first(),
        timeout=60,
        what="the documents ZIP",
    )
    assert (done.processed, done.total, done.percent) == (2, 2, 100)
    with done.file.open("rb") as handle, zipfile.ZipFile(handle) as bundle:
        names = bundle.namelist()
        for document in order.documents.all():
            assert hashlib.sha256(bundle.read(document.filename)).hexdigest() == document.sha256
    assert f"register-{done.month:%Y-%m}.csv" in names
