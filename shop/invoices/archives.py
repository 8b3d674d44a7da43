"""A month's tax documents as one ZIP for the accountants, built by the worker.

The ZIP holds every invoice and credit note PDF of the month (as stored) and the
month's register. The build (shop/invoices/archive_build.py) records its progress
for a progress bar.
"""

import datetime
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shop.core.queue import task_publish
from shop.invoices.models import DocumentArchive
from shop.invoices.tasks.build import document_archive_build_task

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
