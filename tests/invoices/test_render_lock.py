"""The render task passes over a document another process is rendering (no worker idles on it)."""

import io
import threading

import pytest
from django.db import connection, transaction
from pypdf import PdfReader

from shop.invoices.models import Document
from shop.invoices.rendering import document_render
from shop.invoices.tasks.render import document_render_task
from tests.factories import UserFactory, paid_order_create
from tests.invoices.conftest import invoice_of, pdf_text

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


def _fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds (a subset's name carries a prefix: ABCDEF+Name)."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_latin_text_comes_from_a_small_font_and_chinese_names_still_print(catalogue):
    """Latin text set in DejaVu Sans, Chinese characters glyph by glyph in the shop's cut of
    Noto Sans CJK SC (`make fonts`): the PDF a patient's confirmation attaches stays small (it
    was 284 kB with all text in CJK, 92 kB with the full Noto Sans CJK)."""
    patient = UserFactory(first_name="美玲", last_name="陈")
    invoice = invoice_of(paid_order_create(items=[("WP-MOXA", 1), ("TUI-5", 1)], user=patient))
    Document.objects.filter(pk=invoice.pk).update(pdf="", sha256="", rendered_at=None)
    document_render(document_id=invoice.pk)
    pdf = Document.objects.get(pk=invoice.pk).pdf.read()
    fonts = _fonts(pdf)

    # The page's footer too is in DejaVu Sans: no fourth font (it was in a serif font).
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold", "Clinic-CJK"}, f"{fonts}: make fonts?"
    text = pdf_text(pdf)
    assert "美玲 陈" in text and "艾条" in text and "Mugwort Moxa Sticks" in text
    assert f"Tax Invoice {invoice.number} · page 1 of 1" in text  # the footer names it
    assert len(pdf) < 60_000
