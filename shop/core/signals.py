"""Signals between the shop's apps."""

from django.dispatch import Signal

# Sent after a refund is recorded on an order (from the dashboard or from Stripe),
# inside the transaction that records it. Keyword arguments: order, amount (Decimal),
# reference (the Stripe refund id), origin ("dashboard": made from the shop's dashboard;
# "stripe": made in Stripe's own dashboard and reconciled from charge.refunded).
refund_recorded = Signal()
