"""The tax documents' cut of the Chinese font: names print from it, and without it."""

import pytest

from shop.invoices import pdf as invoice_pdf
from shop.invoices.fonts import FAMILY, cjk_faces, gb2312_characters
from tests.factories import UserFactory, paid_order_create
from tests.invoices.conftest import invoice_of, pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_renderer():
    """Each test's PDFs from a renderer made under its settings (one is kept per thread)."""
    invoice_pdf._local.renderer = None
    yield
    invoice_pdf._local.renderer = None


def test_the_cut_holds_every_simplified_character_and_ascii():
    characters = gb2312_characters()

    assert len(characters) == 7445 + 95
    assert {"推", "拿", "艾", "条", "陈", "李"} <= set(characters)
    assert " " in characters and "A" in characters
    assert "陳" not in characters and "龍" not in characters  # traditional: the full font


def test_a_name_outside_the_cut_prints_from_the_full_font(catalogue, settings, fresh_renderer):
    assert cjk_faces(settings.INVOICE_FONT_DIR), "the cut is missing: run `make fonts`"
    patient = UserFactory(first_name="龍", last_name="陳")
    order = paid_order_create(items=[("TUI-5", 1)], user=patient)
    snapshot = invoice_of(order).snapshot

    content = invoice_pdf.snapshot_pdf(snapshot=snapshot)

    # The product's "推拿" from the cut; the traditional 陳 and 龍 glyph by glyph from Noto.
    assert {FAMILY.replace(" ", "-"), "Noto-Sans-CJK-SC"} <= pdf_fonts(content)
    text = pdf_text(content)
    assert "龍 陳" in text and "推拿" in text


def test_without_the_cut_every_chinese_name_still_prints(
    catalogue, settings, tmp_path, fresh_renderer
):
    settings.INVOICE_FONT_DIR = tmp_path  # no cut built there
    patient = UserFactory(first_name="美玲", last_name="陈")
    order = paid_order_create(items=[("TUI-5", 1)], user=patient)

    content = invoice_pdf.snapshot_pdf(snapshot=invoice_of(order).snapshot)

    assert "Noto-Sans-CJK-SC" in pdf_fonts(content)
    assert FAMILY.replace(" ", "-") not in pdf_fonts(content)
    text = pdf_text(content)
    assert "美玲 陈" in text and "推拿" in text
