"""Money arithmetic of the shop: SGD amounts, GST-inclusive prices."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> int:
    """Return a SGD amount as a whole number of cents (Stripe's unit), rounded half-up."""
    cents = amount.scaleb(2)
    if cents == (whole := int(cents)):
        return whole  # exact already (the exports call this hundreds of thousands of times)
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_cents(cents: int) -> Decimal:
    """Return a whole number of cents as a SGD amount with two decimal places."""
    return Decimal(cents).scaleb(-2)


def gst_rate() -> Decimal:
    """Return the GST rate in percent in force, zero when the clinic is not GST-registered."""
    if not settings.SHOP_GST_REGISTERED:
        return Decimal("0")
    return Decimal(settings.SHOP_GST_RATE)


def gst_part(amount: Decimal, *, rate: Decimal | None = None) -> Decimal:
    """Return the GST contained in a GST-inclusive amount, rounded half-up to the cent.

    The GST part of an inclusive amount is amount x rate / (100 + rate).
    """
    if rate is None:
        rate = gst_rate()
    if not rate:
        return Decimal("0.00")
    return (Decimal(amount) * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def order_gst(*, order) -> Decimal:
    """Return the GST contained in an order's total: total incl. GST - total excl. GST.

    `order` is an Oscar order or any record with its `total_incl_tax` and
    `total_excl_tax` (the accounting export's order records).
    """
    if order.total_excl_tax is None:
        return Decimal("0.00")
    return order.total_incl_tax - order.total_excl_tax
