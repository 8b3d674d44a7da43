"""The task that builds a month's documents ZIP (published by shop/invoices/archives.py)."""

from celery import shared_task


@shared_task(name="shop.invoices.document_archive_build", acks_late=True)
def document_archive_build_task(archive_id: int) -> int:
    """Build a month's documents ZIP (idempotent: a finished one is kept)."""
    from shop.invoices.archive_build import document_archive_build

    return document_archive_build(archive_id=archive_id).processed
