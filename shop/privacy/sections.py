"""The shop's own sections of a patient's data: profile, addresses, orders, emails sent."""

from oscar.core.loading import get_model

from shop.privacy.registry import data_section_register

UserAddress = get_model("address", "UserAddress")
Order = get_model("order", "Order")
Email = get_model("communication", "Email")

ADDRESS_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line3",
    "line4",
    "state",
    "postcode",
)
ERASED = "(deleted)"


def _address(address) -> dict:
    data = {field: getattr(address, field, "") for field in ADDRESS_FIELDS}
    data["phone_number"] = str(getattr(address, "phone_number", "") or "")
    return data


def profile_read(*, user) -> dict:
    """Return the account's own details."""
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def addresses_read(*, user) -> list[dict]:
    """Return the address book."""
    return [_address(a) for a in UserAddress.objects.filter(user=user).order_by("pk")]


def addresses_erase(*, user) -> dict:
    """Delete the address book."""
    deleted, _ = UserAddress.objects.filter(user=user).delete()
    return {"addresses_deleted": deleted}


def orders_read(*, user) -> list[dict]:
    """Return the orders, with their lines, amounts and addresses."""
    orders = (
        Order.objects.filter(user=user)
        .select_related("shipping_address", "billing_address")
        .prefetch_related("lines")
        .order_by("date_placed")
    )
    return [
        {
            "number": order.number,
            "placed": order.date_placed.isoformat(),
            "status": order.status,
            "currency": order.currency,
            "total_incl_tax": str(order.total_incl_tax),
            "lines": [
                {
                    "title": line.title,
                    "sku": line.partner_sku,
                    "quantity": line.quantity,
                    "price_incl_tax": str(line.line_price_incl_tax),
                }
                for line in order.lines.all()
            ],
            "shipping_address": _address(order.shipping_address)
            if order.shipping_address
            else None,
            "billing_address": _address(order.billing_address) if order.billing_address else None,
        }
        for order in orders
    ]


def orders_erase(*, user) -> dict:
    """Anonymise the orders: no name, email or phone left; numbers, lines and amounts kept.

    The accounting records must keep the amounts for five years (IRAS); nothing in them
    names the patient once this has run.
    """
    count = 0
    for order in Order.objects.filter(user=user).select_related(
        "shipping_address", "billing_address"
    ):
        for address in (order.shipping_address, order.billing_address):
            if address is None:
                continue
            for field in ADDRESS_FIELDS:
                if hasattr(address, field):
                    setattr(address, field, ERASED if field in ("first_name", "line1") else "")
            if hasattr(address, "phone_number"):
                address.phone_number = ""
            if hasattr(address, "notes"):
                address.notes = ""
            address.save()
        # The sent-markers of its confirmations held the patient's email.
        order.confirmations.update(recipient="")
        order.user = None
        order.guest_email = f"deleted-order-{order.pk}@deleted.invalid"
        order.save(update_fields=["user", "guest_email"])
        count += 1
    return {"orders_anonymised": count}


def emails_read(*, user) -> list[dict]:
    """Return the emails the shop sent to the patient."""
    return [
        {"subject": e.subject, "sent": e.date_sent.isoformat(), "to": e.email}
        for e in Email.objects.filter(user=user).order_by("date_sent")
    ]


def emails_erase(*, user) -> dict:
    """Delete the copies of the emails sent."""
    deleted, _ = Email.objects.filter(user=user).delete()
    return {"emails_deleted": deleted}


data_section_register("profile", profile_read)
data_section_register("addresses", addresses_read, addresses_erase)
data_section_register("orders", orders_read, orders_erase)
data_section_register("emails_sent", emails_read, emails_erase)
