"""Signal receivers: an invoice when an order is paid, a credit note when a refund is recorded.

They run inside the transaction that records the payment or the refund. A failure
to issue must never cost the patient their order or the refund its record: it is
rolled back to a savepoint (its number with it, so no gap) and logged, and
`invoices_issue --missing` or the periodic sweep issues the document later.
"""

import logging

from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from shop.core.signals import refund_recorded
from shop.invoices import services

logger = logging.getLogger("shop.invoices")


@receiver(order_placed, dispatch_uid="invoices.order_placed")
def on_order_placed(sender, order, **kwargs) -> None:
    try:
        with transaction.atomic():
            services.invoice_issue(order=order)
    except Exception:
        logger.exception("Could not issue the invoice of order %s; issued later", order.number)


@receiver(refund_recorded, dispatch_uid="invoices.refund_recorded")
def on_refund_recorded(sender, order, amount, reference, **kwargs) -> None:
    try:
        with transaction.atomic():
            services.credit_note_issue(order=order, amount=amount, reference=reference)
    except Exception:
        logger.exception("Could not issue the credit note of refund %s; issued later", reference)
