"""The render task passes over a document another process is rendering (no worker idles on it)."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from shop.invoices.models import Document
from shop.invoices.rendering import document_render
from shop.invoices.tasks.render import document_render_task
from tests.factories import UserFactory, paid_order_create
from tests.invoices.conftest import invoice_of, pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_task_passes_over_a_document_locked_elsewhere_and_renders_it_once_free(catalogue):
    order = paid_order_create(items=[("TUI-1", 1)], guest_email="lim@example.com")
    invoice = invoice_of(order)
    Document.objects.filter(pk=invoice.pk).update(pdf="", sha256="", rendered_at=None)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:  # as a confirmation rendering the PDF it attaches
        try:
            with transaction.atomic():
                Document.objects.select_for_update().get(pk=invoice.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        assert document_render_task(invoice.pk) == "being rendered elsewhere"
        assert not Document.objects.get(pk=invoice.pk).pdf
    finally:
        release.set()
        holder.join(timeout=30)

    sha256 = document_render_task(invoice.pk)
    rendered = Document.objects.get(pk=invoice.pk)
    assert rendered.pdf and rendered.sha256 == sha256
    with rendered.pdf.open("rb") as handle:
        assert invoice.number in pdf_text(handle.read())
    assert document_render(document_id=invoice.pk).sha256 == sha256  # once: kept as it is


def test_latin_text_comes_from_a_small_font_and_chinese_names_still_print(catalogue):
    """Latin text set in DejaVu Sans, Chinese characters glyph by glyph in the shop's cut of
    Noto Sans CJK SC (`make fonts`): the PDF a patient's confirmation attaches stays small (it
    was 284 kB with all text in CJK, 92 kB with the full Noto Sans CJK)."""
    patient = UserFactory(first_name="美玲", last_name="陈")
    invoice = invoice_of(paid_order_create(items=[("WP-MOXA", 1), ("TUI-5", 1)], user=patient))
    Document.objects.filter(pk=invoice.pk).update(pdf="", sha256="", rendered_at=None)
    document_render(document_id=invoice.pk)
    pdf = Document.objects.get(pk=invoice.pk).pdf.read()
    fonts = pdf_fonts(pdf)

    # The page's footer too is in DejaVu Sans: no fourth font (it was in a serif font).
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold", "Clinic-CJK"}, f"{fonts}: make fonts?"
    text = pdf_text(pdf)
    assert "美玲 陈" in text and "艾条" in text and "Mugwort Moxa Sticks" in text
    assert f"Tax Invoice {invoice.number} · page 1 of 1" in text  # the footer names it
    assert len(pdf) < 60_000


def _waiting_on_a_lock() -> bool:
    """Whether another session of this database waits on a row lock now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def test_a_refund_while_the_worker_sends_the_invoice_gets_its_credit_note_at_once(catalogue):
    """The worker's confirmation holds the invoice's row (its PDF, attached) and then records
    the email against the order; a refund recorded meanwhile locks the order, then waits for
    the invoice's row to number its credit note. The order was locked FOR UPDATE, which also
    stops the worker's row that points at the order: PostgreSQL found a deadlock and the
    credit note was left to the sweep. The order's locks are FOR NO KEY UPDATE now."""
    from oscar.core.loading import get_model

    from shop.payments.refunds import refund_record

    CommunicationEvent = get_model("order", "CommunicationEvent")
    CommunicationEventType = get_model("communication", "CommunicationEventType")
    order = paid_order_create(items=[("TUI-5", 1)], guest_email="lim@example.com")
    invoice = invoice_of(order)
    event_type, _ = CommunicationEventType.objects.get_or_create(code="ORDER_PLACED")
    held, errors = threading.Event(), []

    def worker_sends() -> None:  # as delivery._deliver: the PDF's row, then the event
        try:
            with transaction.atomic():
                Document.objects.select_for_update().get(pk=invoice.pk)
                held.set()
                deadline = time.monotonic() + 10
                while not _waiting_on_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.05)  # until the refund waits on the invoice's row
                CommunicationEvent.objects.create(order=order, event_type=event_type)
        except Exception as exc:  # noqa: BLE001  (the test reports it)
            errors.append(exc)
        finally:
            connection.close()

    sender = threading.Thread(target=worker_sends)
    sender.start()
    assert held.wait(timeout=10)
    with transaction.atomic():
        refund_record(order=order, amount=Decimal("40.00"), reference="re_during_send")
    sender.join(timeout=30)

    assert errors == []
    assert order.communication_events.count() == 1
    note = Document.objects.get(order=order, kind="credit_note")
    assert note.refund_reference == "re_during_send" and note.corrects_id == invoice.pk
