"""The beat sweeps of the tax documents: they run the services that publish again."""

from celery import shared_task


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
