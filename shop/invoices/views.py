"""Downloads of the tax documents, each checking who asks.

A signed-in patient gets the documents of their own orders; clinic staff and
accountants (who may read orders) get all; a guest gets their order's only after
the order-status check (the order's hash and the email they typed); anyone
else gets a 404, so that no document's existence is given away.
"""

import logging

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from shop.customer.selectors import order_for_guest
from shop.invoices import selectors, services
from shop.invoices.models import Document

logger = logging.getLogger("shop.invoices")

GUEST_EMAIL_SESSION_KEY = "anon_order_email"  # set by Oscar's order-status form


def _pdf_response(document: Document) -> HttpResponse:
    try:
        content = services.document_pdf(document=document)
    except services.DocumentTampered:
        logger.error("Stored PDF of %s does not match its checksum", document.number)
        return HttpResponse(
            "This document cannot be served right now; the clinic has been told.",
            status=503,
            content_type="text/plain",
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def document_download(request, pk: int) -> HttpResponse:
    """Serve a document to a signed-in patient (their own) or to staff and accountants."""
    document = get_object_or_404(Document.objects.select_related("order"), pk=pk)
    if not request.user.is_authenticated or not selectors.document_readable_by(
        document=document, user=request.user
    ):
        raise Http404("No such document")
    return _pdf_response(document)


@require_GET
def guest_document_download(request, order_number: str, hash: str, pk: int) -> HttpResponse:  # noqa: A002
    """Serve a guest's document once the order-status page's check passed in this session."""
    order = order_for_guest(
        number=order_number,
        verification_hash=hash,
        email=request.session.get(GUEST_EMAIL_SESSION_KEY),
    )
    if order is None:
        raise Http404("No such document")
    document = get_object_or_404(Document, pk=pk, order=order)
    return _pdf_response(document)
