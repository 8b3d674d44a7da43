"""The clinic's shipping methods: a flat rate, and free delivery over a threshold."""

from decimal import Decimal

from django.conf import settings
from oscar.apps.shipping import methods
from oscar.core import prices

from shop.core.money import gst_part


def _charge(incl_tax: Decimal) -> prices.Price:
    return prices.Price(
        currency=settings.OSCAR_DEFAULT_CURRENCY,
        excl_tax=incl_tax - gst_part(incl_tax),
        incl_tax=incl_tax,
    )


class FlatRate(methods.Base):
    """Delivery anywhere in Singapore at one GST-inclusive price."""

    code = "flat-rate"
    name = "Standard delivery (Singapore)"

    @property
    def description(self) -> str:
        return (
            f"Delivered in 2-4 working days for S${settings.SHOP_SHIPPING_FLAT_RATE}; "
            f"free over S${settings.SHOP_FREE_SHIPPING_THRESHOLD:.0f}."
        )

    def calculate(self, basket) -> prices.Price:
        return _charge(Decimal(settings.SHOP_SHIPPING_FLAT_RATE))


class FreeOverThreshold(methods.Base):
    """Free delivery in Singapore for baskets at or above the threshold."""

    code = "free-over-threshold"
    name = "Free delivery (Singapore)"

    @property
    def description(self) -> str:
        return f"Free for orders of S${settings.SHOP_FREE_SHIPPING_THRESHOLD} or more."

    def calculate(self, basket) -> prices.Price:
        return _charge(Decimal("0.00"))
