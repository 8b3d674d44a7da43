"""Worker tasks of the tax documents."""

from celery import shared_task


@shared_task(name="shop.invoices.document_render", acks_late=True)
def document_render_task(document_id: int) -> str:
    """Render and store the document's PDF (idempotent: a rendered one is kept)."""
    from shop.invoices.services import document_render

    return document_render(document_id=document_id).sha256


@shared_task(name="shop.invoices.document_archive_build", acks_late=True)
def document_archive_build_task(archive_id: int) -> int:
    """Build a month's documents ZIP (idempotent: a finished one is kept)."""
    from shop.invoices.archives import document_archive_build

    return document_archive_build(archive_id=archive_id).processed


@shared_task(name="shop.invoices.documents_render_sweep")
def documents_render_sweep_task() -> int:
    """Publish again the rendering of documents left without a PDF."""
    from shop.invoices.services import documents_render_sweep

    return documents_render_sweep()


@shared_task(name="shop.invoices.document_archives_sweep")
def document_archives_sweep_task() -> int:
    """Publish again the builds of documents ZIPs left pending."""
    from shop.invoices.archives import document_archives_sweep

    return document_archives_sweep()
