"""Links to book sessions of a credit, for the patient's pages and emails."""

from django import template

from shop.bookings.selectors import credit_booking_url

register = template.Library()


@register.simple_tag
def credit_book_url(code: str, absolute: bool = False) -> str:
    """Return the signed link that books sessions of the credit with this code."""
    return credit_booking_url(code=code, absolute=absolute)
