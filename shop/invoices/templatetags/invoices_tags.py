"""Template tags of the tax documents: an order's documents, amounts in SGD."""

from decimal import Decimal, InvalidOperation

from django import template
from django.urls import reverse

from shop.invoices import selectors

register = template.Library()


@register.filter
def sgd(value) -> str:
    """Format a snapshot amount ("1234.50") as S$1,234.50 (negative: -S$1,234.50)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}S${abs(amount):,.2f}"


@register.inclusion_tag("invoices/order_documents.html", takes_context=True)
def order_documents(context, order, guest: bool = False):
    """List the order's invoice and credit notes with download links.

    A guest's links (on the order-status page, shown after its email check) carry
    the order's verification hash; the download view checks it together with the
    email the order-status page asked for.
    """
    guest_hash = order.verification_hash() if guest and order is not None else ""
    documents = list(selectors.order_documents(order=order)) if order is not None else []
    rows = []
    for document in documents:
        if guest_hash:
            url = reverse(
                "invoices:guest-download",
                kwargs={"order_number": order.number, "hash": guest_hash, "pk": document.pk},
            )
        else:
            url = reverse("invoices:download", kwargs={"pk": document.pk})
        rows.append({"document": document, "url": url})
    return {"rows": rows, "order": order}
