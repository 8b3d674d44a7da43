"""The task that renders one document's PDF (published by the services)."""

from celery import shared_task


@shared_task(name="shop.invoices.document_render", acks_late=True)
def document_render_task(document_id: int) -> str:
    """Render and store the document's PDF (idempotent: a rendered one is kept).

    A document being rendered by another process (the confirmation that attaches it) is
    passed over rather than waited for: that process stores it.
    """
    from shop.invoices.rendering import document_render

    document = document_render(document_id=document_id, wait=False)
    return document.sha256 if document else "being rendered elsewhere"
