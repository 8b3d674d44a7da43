"""What the shop records of its Stripe payments."""

from django.db import models
from django.db.models import Q


class PaymentIntent(models.Model):
    """One Stripe PaymentIntent taken for a frozen basket.

    `checkout` keeps what the order needs besides the basket (customer, email,
    shipping address and method), so that the order can be placed from the
    webhook when the patient never comes back from paying.
    """

    intent_id = models.CharField(max_length=255, unique=True)
    basket = models.ForeignKey(
        "basket.Basket", null=True, on_delete=models.SET_NULL, related_name="stripe_intents"
    )
    order_number = models.CharField(max_length=128, db_index=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="SGD")
    status = models.CharField(max_length=40)
    checkout = models.JSONField(default=dict, blank=True)
    order = models.ForeignKey(
        "order.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Stock allocated for this payment before the card is charged: {stock record id: units}.
    # Empty when nothing is held (released, handed to the order, or nothing tracks stock).
    reserved_stock = models.JSONField(default=dict, blank=True)
    reserved_at = models.DateTimeField(null=True, blank=True)
    problem = models.TextField(
        blank=True, help_text="Why this payment did not become an order; for staff to resolve."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A basket has at most one PaymentIntent that may still be paid (or was paid).
            models.UniqueConstraint(
                fields=["basket"],
                condition=~Q(status="canceled"),
                name="one_live_intent_per_basket",
            )
        ]

    def __str__(self) -> str:
        return f"{self.intent_id} ({self.status}) for order {self.order_number}"


class WebhookEvent(models.Model):
    """A Stripe event the shop has processed; each event id is processed once."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
