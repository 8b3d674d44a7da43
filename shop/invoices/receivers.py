"""Signal receivers: an invoice when an order is paid, a credit note when a refund is recorded."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from shop.core.signals import refund_recorded
from shop.invoices import services


@receiver(order_placed, dispatch_uid="invoices.order_placed")
def on_order_placed(sender, order, **kwargs) -> None:
    services.invoice_issue(order=order)


@receiver(refund_recorded, dispatch_uid="invoices.refund_recorded")
def on_refund_recorded(sender, order, amount, reference, **kwargs) -> None:
    services.credit_note_issue(order=order, amount=amount, reference=reference)
