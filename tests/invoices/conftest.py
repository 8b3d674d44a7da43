"""Fixtures of the tax document tests: paid orders of the clinic's catalogue, PDF text."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from shop.invoices import services
from shop.invoices.models import Document, DocumentKind

DELIVERY = Decimal("6.00")


def pdf_text(content: bytes) -> str:
    """Return the text of a PDF as a reader of it sees it, with whitespace made single."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_fonts(content: bytes) -> set[str]:
    """The names of the fonts a PDF embeds (a subset's name carries a prefix: ABCDEF+Name)."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def invoice_of(order) -> Document:
    return Document.objects.get(order=order, kind=DocumentKind.INVOICE)


def document_text(document: Document) -> str:
    """Render (once) and return the text of the document's stored PDF."""
    return pdf_text(services.document_pdf(document=document))


@pytest.fixture
def gst_number(settings):
    settings.SHOP_GST_REG_NO = "M90312345A"
    return settings.SHOP_GST_REG_NO
