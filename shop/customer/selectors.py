"""Reads of the patient's account pages."""

from oscar.core.loading import get_model

Order = get_model("order", "Order")


def order_for_guest(*, number: str, verification_hash: str, email: str | None):
    """Return the guest's order with this number, hash and email, or None.

    The email is compared regardless of case: a mailbox is one whatever the letters'
    case, and patients type it differently from one day to the next.
    """
    email = (email or "").strip()
    if not email:
        return None
    order = Order.objects.filter(user=None, number=number).first()
    if order is None or not order.check_verification_hash(verification_hash):
        return None
    if (order.email or "").casefold() != email.casefold():
        return None
    return order
