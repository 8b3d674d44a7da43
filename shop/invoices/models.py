"""Tax documents of the shop: a tax invoice per paid order, a credit note per refund.

A document is issued once, in the transaction that records the payment or the
refund, with a number from a gapless sequence. What it prints is frozen in
`snapshot` when it is issued; its PDF is rendered once from that snapshot and
then served as stored, with its checksum.
"""

import secrets

from django.conf import settings
from django.db import models

from shop.core.storage import private_storage


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", "Tax invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


def document_storage():
    """Return the private storage the PDFs live in (never under a public URL)."""
    return private_storage


def document_file_name(document: "Document", filename: str) -> str:
    """Return the stored PDF's path: unguessable, so that no name can be tried."""
    return f"invoices/{document.issued_at:%Y/%m}/{secrets.token_urlsafe(24)}.pdf"


def archive_file_name(archive: "DocumentArchive", filename: str) -> str:
    """Return the stored ZIP's path, as unguessable as the PDFs'."""
    return f"invoice-archives/{secrets.token_urlsafe(24)}/{filename}"


class DocumentSequence(models.Model):
    """The last number given out under one prefix (per kind, and per year when the prefix
    names it). Its row is locked while a number is allocated."""

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    prefix = models.CharField(max_length=40)
    last_number = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "prefix"], name="one_sequence_per_prefix")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.last_number}"


class Document(models.Model):
    """A tax invoice (or receipt) of an order, or a credit note of one of its refunds."""

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    number = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="documents")
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        help_text="The invoice a credit note corrects.",
    )
    refund_reference = models.CharField(max_length=255, blank=True)
    refund_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    gst_registered = models.BooleanField(help_text="Issued as a tax document (GST-registered).")
    total_incl_gst = models.DecimalField(max_digits=12, decimal_places=2)
    gst = models.DecimalField(max_digits=12, decimal_places=2)
    snapshot = models.JSONField(help_text="Everything the document prints, frozen at issue.")
    pdf = models.FileField(
        upload_to=document_file_name, storage=document_storage, blank=True, max_length=255
    )
    sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        constraints = [
            # One invoice per order; one credit note per refund of the order.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind=DocumentKind.INVOICE),
                name="one_invoice_per_order",
            ),
            models.UniqueConstraint(
                fields=["order", "refund_reference"],
                condition=models.Q(kind=DocumentKind.CREDIT_NOTE),
                name="one_credit_note_per_refund",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def title(self) -> str:
        """Return the heading the document prints."""
        if self.kind == DocumentKind.CREDIT_NOTE:
            return "Credit Note"
        return "Tax Invoice" if self.gst_registered else "Receipt"

    @property
    def filename(self) -> str:
        return f"{self.number}.pdf"


class DocumentArchive(models.Model):
    """A month's documents as one ZIP (PDFs and the register), built by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the worker"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    month = models.DateField(help_text="The first day of the month (Singapore dates).")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    file = models.FileField(
        upload_to=archive_file_name, storage=document_storage, blank=True, max_length=255
    )
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Documents of {self.month:%B %Y} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """Return how far the build is, for a progress bar."""
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0
