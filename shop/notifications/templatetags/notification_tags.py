"""Template tags of the confirmation emails and the order's dashboard panel.

The email templates are stored in CommunicationEventType rows (editable in the
dashboard). Their context holds plain values only (the order as a dict with its
`details`, built by `selectors.order_email_values`), in the worker as in the
dashboard's preview.
"""

from collections.abc import Mapping

from django import template

from shop.core.selectors import clinic_details
from shop.notifications import selectors

register = template.Library()


@register.simple_tag
def confirmation_details(order) -> dict:
    """Return what a confirmation shows about `order` (lines, packages, totals, links)."""
    if isinstance(order, Mapping) and "details" in order:
        return order["details"]
    return {"clinic": clinic_details()}


@register.simple_tag
def clinic_contact() -> dict:
    """Return the clinic's name, address, phone, email and booking link."""
    return clinic_details()


@register.simple_tag
def order_confirmations(order) -> list:
    """Return the confirmations of `order` for its dashboard page."""
    return selectors.order_confirmations(order=order)
