"""The one place the invoices import the accountants' per-line allocation from.

An invoice's lines must equal the per-line export to the cent, so they are made
by the export's own function. Should it move module, only this import changes.
"""

from shop.accounting.selectors import LineRecord, OrderRecord
from shop.accounting.services import order_line_rows

__all__ = ["LineRecord", "OrderRecord", "order_line_rows"]
