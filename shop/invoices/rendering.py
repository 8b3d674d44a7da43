"""The rendering of one tax document's PDF, the work of the worker's render task.

Kept apart from the services, which publish that task: the task imports this
module only, so no module imports itself back through the task.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from shop.invoices import selectors
from shop.invoices.models import Document, DocumentKind


def document_render(*, document_id: int, wait: bool = True) -> Document | None:
    """Render the document's PDF from its snapshot and store it with its checksum, once.

    Takes the row lock, so the worker and an on-demand download never both render it.
    With `wait=False` (the background task) a document whose lock another process holds
    (a confirmation or a download rendering it now) is passed over: None.
    """
    from shop.invoices.pdf import snapshot_pdf  # WeasyPrint loads Pango: only where needed

    with transaction.atomic():
        locked = Document.objects.select_for_update(skip_locked=not wait)
        document = locked.filter(pk=document_id).first()
        if document is None:
            if wait:
                raise Document.DoesNotExist(f"no document {document_id}")
            return None
        if document.pdf:
            return document
        snapshot = document.snapshot
        if not snapshot.get("payment_reference") and document.kind == DocumentKind.INVOICE:
            # Oscar records the payment just after the order: complete the snapshot once.
            snapshot["payment_reference"] = selectors.order_payment_reference(order=document.order)
        content = snapshot_pdf(snapshot=snapshot)
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.rendered_at = timezone.now()
        document.pdf.save(document.filename, ContentFile(content), save=False)
        document.save(update_fields=["snapshot", "pdf", "sha256", "rendered_at"])
    return document
