"""The sent-marker of every confirmation email: what was sent, what is still owed."""

from django.db import models


class Confirmation(models.Model):
    """One confirmation email owed for an order, and how its sending went.

    The row is written in the transaction that places the order (or records the
    refund), so a committed order always has its confirmations on record even
    when the broker is down. The worker locks the row, sends, and marks it
    sent: a redelivered task finds it sent and sends nothing.
    """

    class Kind(models.TextChoices):
        ORDER_PLACED = "order_placed", "Order confirmation to the patient"
        CLINIC_ORDER = "clinic_order", "New order notice to the clinic"
        REFUND = "refund", "Refund confirmation to the patient"
        # Package credits (shop.packages.reminders): the reference is the credit's code.
        PACKAGE_EXPIRY_FIRST = "package_expiry_first", "Package expiry reminder (first)"
        PACKAGE_EXPIRY_SECOND = "package_expiry_second", "Package expiry reminder (second)"
        PACKAGE_LAST_SESSION = "package_last_session", "Package reminder: one session left"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="confirmations"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # Tells apart several confirmations of one kind: the Stripe refund id of a refund.
    reference = models.CharField(max_length=128, blank=True, default="")
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    recipient = models.EmailField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "reference"], name="confirmation_once_per_order_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for order {self.order_id} ({self.status})"


class OutboxEmail(models.Model):
    """One email of the shop waiting to be sent, or sent, by the worker.

    Every email the shop sends outside the confirmations (Oscar's registration and
    password emails, the accountants' exports...) is recorded here by the outbox
    email backend, inside the transaction of the page or task that sends it; the
    worker sends the message as it was recorded, with the confirmations' retries,
    sent-marker and sweep.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    from_email = models.TextField()
    # The envelope's recipients (To, Cc and Bcc).
    recipients = models.JSONField(default=list)
    subject = models.TextField(blank=True, default="")
    # The whole MIME message as recorded (headers, parts, attachments).
    message = models.BinaryField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Email {self.subject!r} to {', '.join(self.recipients)} ({self.status})"
