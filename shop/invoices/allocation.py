"""The one place the invoices import the accountants' per-line allocation from.

An invoice's lines must equal the per-line export to the cent, so they are made
by the export's own function. Should it move module, only this import changes.
"""

from shop.accounting.rows import order_lines
from shop.accounting.selectors import LineRecord, OrderRecord

__all__ = ["LineRecord", "OrderRecord", "order_line_rows"]


def order_line_rows(*, order: OrderRecord) -> list[tuple]:
    """Return the export's lines of `order` as tuples in the column order of the export.

    (number, sku, title, item type, sessions, quantity, unit price, incl., GST, excl.)
    """
    return [
        (
            line.number,
            line.sku,
            line.title,
            line.item_type,
            line.sessions,
            line.quantity,
            line.unit_price_incl_gst,
            line.incl_gst,
            line.gst,
            line.excl_gst,
        )
        for line in order_lines(order=order)
    ]
