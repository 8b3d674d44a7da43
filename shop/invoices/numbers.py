"""The bulk read of the tax documents' numbers, for the accountants' exports.

A module of its own that imports only the models: the accounting export reads
the numbers here, while the invoices import the accounting's line allocation, so
neither app imports the other back.
"""

from shop.invoices.models import Document, DocumentKind


def order_document_numbers(*, order_ids) -> dict[int, dict]:
    """Return, by order id, the invoice number and the credit note numbers (for exports)."""
    numbers: dict[int, dict] = {}
    rows = (
        Document.objects.filter(order_id__in=order_ids)
        .order_by("issued_at", "id")
        .values_list("order_id", "kind", "number")
    )
    for order_id, kind, number in rows:
        entry = numbers.setdefault(order_id, {"invoice": "", "credit_notes": []})
        if kind == DocumentKind.INVOICE:
            entry["invoice"] = number
        else:
            entry["credit_notes"].append(number)
    return numbers
