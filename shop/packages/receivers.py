"""Signal receivers: thin, they hand over to the services."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from shop.core.signals import refund_recorded
from shop.packages import disputes, purchases


@receiver(order_placed, dispatch_uid="packages.order_placed")
def on_order_placed(sender, order, **kwargs) -> None:
    purchases.credits_create_for_order(order=order)


@receiver(refund_recorded, dispatch_uid="packages.refund_recorded")
def on_refund_recorded(sender, order, amount, reference, origin="stripe", **kwargs) -> None:
    # A refund from the shop's dashboard either refunded sessions (recorded there) or was a
    # free amount that changes no credit; only one made in Stripe's dashboard is for staff.
    if origin == "stripe":
        disputes.credits_flag_for_refund(order=order, amount=amount, reference=reference)
