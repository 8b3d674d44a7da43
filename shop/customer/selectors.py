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


def patient_details_for_user(*, user) -> dict | None:
    """Return the name and mobile number kept in the patient's account, or None."""
    from shop.customer.models import PatientProfile

    if not user.is_authenticated:
        return None
    profile = PatientProfile.objects.filter(user=user).first()
    if profile is None or not (profile.name and profile.phone):
        return None
    return {"name": profile.name, "phone": profile.phone}
