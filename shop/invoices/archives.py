"""A month's tax documents as one ZIP for the accountants, built by the worker.

The ZIP holds every invoice and credit note PDF of the month (as stored) and the
month's register. The build records its progress for a progress bar.
"""

import datetime
import tempfile
import zipfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shop.core.queue import task_publish
from shop.invoices import register, services
from shop.invoices.models import DocumentArchive
from shop.invoices.tasks import document_archive_build_task

SWEEP_AFTER = timedelta(minutes=5)


def document_archive_request(*, month: datetime.date, user=None) -> DocumentArchive:
    """Record a request for the month's ZIP and have the worker build it after commit."""
    archive = DocumentArchive.objects.create(month=month.replace(day=1), requested_by=user)
    transaction.on_commit(
        lambda: task_publish(
            task=document_archive_build_task,
            args=[archive.pk],
            what=f"the documents ZIP of {archive.month:%B %Y}",
        )
    )
    return archive


def document_archives_sweep(*, older_than: timedelta = SWEEP_AFTER) -> int:
    """Publish again the builds of ZIPs still pending (the broker was down); return how many."""
    stale = DocumentArchive.objects.filter(
        status=DocumentArchive.Status.PENDING, created_at__lt=timezone.now() - older_than
    )
    published = 0
    for archive_id, month in stale.values_list("pk", "month"):
        published += task_publish(
            task=document_archive_build_task,
            args=[archive_id],
            what=f"the documents ZIP of {month:%B %Y}",
        )
    return published


def document_archive_build(*, archive_id: int) -> DocumentArchive:
    """Build the month's ZIP: each document's stored PDF, then the register."""
    archive = DocumentArchive.objects.get(pk=archive_id)
    if archive.status == DocumentArchive.Status.DONE:
        return archive
    documents = list(register.documents_of_month(month=archive.month))
    DocumentArchive.objects.filter(pk=archive.pk).update(
        status=DocumentArchive.Status.RUNNING, total=len(documents), processed=0
    )
    name = f"tax-documents-{archive.month:%Y-%m}.zip"
    try:
        with tempfile.TemporaryFile() as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
                for document in documents:
                    bundle.writestr(document.filename, services.document_pdf(document=document))
                    DocumentArchive.objects.filter(pk=archive.pk).update(
                        processed=F("processed") + 1
                    )
                content, _ = register.register_csv(month=archive.month)
                bundle.writestr(f"register-{archive.month:%Y-%m}.csv", content)
            handle.seek(0)
            archive.file.save(name, File(handle), save=False)
    except Exception as error:
        DocumentArchive.objects.filter(pk=archive.pk).update(
            status=DocumentArchive.Status.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        raise
    archive.status = DocumentArchive.Status.DONE
    archive.total = archive.processed = len(documents)
    archive.finished_at = timezone.now()
    archive.save(update_fields=["file", "status", "total", "processed", "finished_at"])
    return archive
