"""The tax invoice's layout as a reader sees it: blocks in order, nothing printed over another.

The positions are read back from the PDF (pypdf's text visitor): PDF coordinates grow
upwards, so a block printed above another has the greater y.
"""

import io

from pypdf import PdfReader

from shop.invoices import services
from tests.factories import paid_order_create
from tests.invoices.conftest import DELIVERY, invoice_of


def _positions(pdf: bytes) -> list[tuple[str, float, float]]:
    """Return each text run of the first page with where it starts: (text, x, y)."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            # The run's start: the text matrix's origin, through the current matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), x, y))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return runs


def _y(runs, starts: str) -> float:
    return next(y for text, _, y in runs if text.startswith(starts))


def test_the_customer_block_is_printed_above_the_lines_not_over_them(catalogue):
    """The customer's name and address sat over the table's first rows (two floats the
    block did not enclose): the address is now wholly above the table's head."""
    order = paid_order_create(items=[("ACU-1", 1), ("WP-HEAT", 1)], shipping_incl=DELIVERY)
    runs = _positions(services.document_pdf(document=invoice_of(order)))

    head = _y(runs, "Description")
    for line in ("CUSTOMER", "Mei Ling Tan", "12 Tanjong Pagar Road", "088443"):
        assert _y(runs, line) > head, f"{line!r} is not above the table's head"
    # The first line's description starts below the head, not beside the address.
    assert _y(runs, "Acupuncture") < head
    assert _y(runs, "Herbal Warming Patches") < _y(runs, "Acupuncture")
