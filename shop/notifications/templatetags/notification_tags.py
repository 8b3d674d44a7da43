"""Template tags of the confirmation emails and the order's dashboard panel.

The email templates are stored in CommunicationEventType rows (editable in the
dashboard) and get only the order in their context, in the worker as in the
dashboard's preview: these tags fetch the rest.
"""

from django import template

from shop.core.selectors import clinic_details
from shop.notifications import selectors

register = template.Library()


@register.simple_tag
def confirmation_details(order) -> dict:
    """Return what a confirmation shows about `order` (lines, packages, totals, links)."""
    if not order:
        return {"clinic": clinic_details()}
    return selectors.order_confirmation_details(order=order)


@register.simple_tag
def clinic_contact() -> dict:
    """Return the clinic's name, address, phone, email and booking link."""
    return clinic_details()


@register.simple_tag
def order_confirmations(order) -> list:
    """Return the confirmations of `order` for its dashboard page."""
    return selectors.order_confirmations(order=order)
