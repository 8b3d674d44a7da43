"""The build of a month's documents ZIP, the work of the worker's build task.

Kept apart from shop/invoices/archives.py, which publishes that task: the task
imports this module only, so no module imports itself back through the task.
"""

import tempfile
import zipfile

from django.core.files import File
from django.db.models import F
from django.utils import timezone

from shop.invoices import register, services
from shop.invoices.models import DocumentArchive


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
