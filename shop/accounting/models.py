"""Records of the order exports: what was exported by whom, and background XLSX jobs."""

import secrets
import uuid

from django.conf import settings
from django.db import models

from shop.core.storage import private_storage

EXPORTS_FOLDER = "accounting/exports"


def export_storage():
    """Return the storage of the export files: private, never under a public URL."""
    return private_storage


def export_upload_to(instance, filename: str) -> str:
    """Return an unguessable name for an export file (the download keeps its plain name)."""
    return f"{EXPORTS_FOLDER}/{secrets.token_urlsafe(24)}-{filename}"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"


class ExportPer(models.TextChoices):
    ORDER = "order", "One row per order"
    LINE = "line", "One row per line"


class ExportOrigin(models.TextChoices):
    DASHBOARD = "dashboard", "Dashboard download"
    JOB = "job", "Dashboard background job"
    COMMAND = "command", "Management command"
    MONTHLY = "monthly", "Monthly email"


class ExportLog(models.Model):
    """One export of orders: who made it, when, of which range, and how many rows it had."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    origin = models.CharField(max_length=16, choices=ExportOrigin.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    date_from = models.DateField()
    date_to = models.DateField()
    statuses = models.CharField(
        max_length=255, blank=True, help_text="Comma-separated; empty: all"
    )
    per = models.CharField(max_length=8, choices=ExportPer.choices)
    format = models.CharField(max_length=8, choices=ExportFormat.choices)
    # Null until the export finished writing: an interrupted download stays visible as such.
    row_count = models.PositiveIntegerField(null=True, blank=True)
    order_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("export_orders", "Can export orders for the accountants")]

    def __str__(self) -> str:
        return f"{self.format} export {self.date_from}..{self.date_to} ({self.row_count} rows)"


class ExportJob(models.Model):
    """An XLSX export built by the worker, with its progress and, once done, its file."""

    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted after the retention period"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    date_from = models.DateField()
    date_to = models.DateField()
    statuses = models.CharField(max_length=255, blank=True)
    per = models.CharField(max_length=8, choices=ExportPer.choices)
    format = models.CharField(max_length=8, choices=ExportFormat.choices, default="xlsx")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    total_orders = models.PositiveIntegerField(default=0)
    processed_orders = models.PositiveIntegerField(default=0)
    # Private storage, unguessable names; served only by the dashboard's download view.
    file = models.FileField(
        upload_to=export_upload_to, storage=export_storage, blank=True, max_length=255
    )
    error = models.TextField(blank=True)
    log = models.OneToOneField(ExportLog, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export job {self.id} ({self.status})"

    @property
    def progress(self) -> int:
        """Return the progress in percent."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total_orders:
            return 0
        return min(99, self.processed_orders * 100 // self.total_orders)
