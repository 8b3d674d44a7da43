"""The worker renders an issued document's PDF after the payment's transaction commits."""

import hashlib

import pytest

from shop.invoices.models import DocumentKind
from tests.factories import paid_order_create, refund_record
from tests.fixtures.services import wait_until
from tests.invoices.conftest import invoice_of, pdf_text


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_and_stores_the_invoice_and_credit_note(
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
