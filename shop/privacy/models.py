"""A patient's request to delete their account, kept after the account is gone."""

from django.conf import settings
from django.db import models


class DeletionRequest(models.Model):
    """One request to delete an account; staff carry it out from the dashboard."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for staff"
        DONE = "done", "Carried out"

    # SET_NULL: the request outlives the account it deleted (the record that it was done).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deletion_requests",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What was removed, in numbers (no personal data): addresses, orders anonymised, emails.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Deletion request {self.pk} ({self.get_status_display()})"
