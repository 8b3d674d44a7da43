"""Signal receivers: thin, they hand over to the services."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from shop.core.signals import refund_recorded
from shop.notifications import services


@receiver(order_placed, dispatch_uid="notifications.order_placed")
def on_order_placed(sender, order, **kwargs) -> None:
    services.order_confirmations_record(order=order)


@receiver(refund_recorded, dispatch_uid="notifications.refund_recorded")
def on_refund_recorded(sender, order, amount, reference, **kwargs) -> None:
    services.refund_confirmation_record(order=order, amount=amount, reference=reference)
