"""The PDF of a tax document: its HTML template, rendered by WeasyPrint on the server."""

from django.template.loader import render_to_string
from weasyprint import HTML

TEMPLATE = "invoices/document.html"


def snapshot_html(*, snapshot: dict) -> str:
    """Return the document's HTML from its snapshot (plain values, never model instances)."""
    return render_to_string(TEMPLATE, {"doc": snapshot})


def snapshot_pdf(*, snapshot: dict) -> bytes:
    """Return the document's PDF. Nothing is fetched: the template carries its own CSS."""
    return HTML(string=snapshot_html(snapshot=snapshot), base_url=None).write_pdf()
