"""Pricing strategy of the clinic: SGD prices that include GST."""

from decimal import Decimal

from oscar.apps.partner import availability, strategy
from oscar.apps.partner.prices import TaxInclusiveFixedPrice, Unavailable

from shop.core.money import gst_part


class GSTInclusive:
    """Pricing policy mixin: the stockrecord price includes GST; its GST part is computed."""

    def _price(self, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return Unavailable()
        incl = Decimal(stockrecord.price)
        tax = gst_part(incl)
        return TaxInclusiveFixedPrice(
            currency=stockrecord.price_currency, excl_tax=incl - tax, tax=tax
        )

    def pricing_policy(self, product, stockrecord):
        return self._price(stockrecord)

    def parent_pricing_policy(self, product, children_stock):
        # A parent shows its lowest price: "from S$88.00".
        records = [sr for _, sr in children_stock if sr is not None and sr.price is not None]
        if not records:
            return Unavailable()
        return self._price(min(records, key=lambda sr: sr.price))


class NotSold(availability.Unavailable):
    """Availability of a product staff have taken off the shop."""

    message = "No longer sold"

    def is_purchase_permitted(self, quantity):
        return False, "This product is no longer sold."


class PublicOnly:
    """Availability mixin: a product staff have hidden (or whose parent they hid) cannot be bought.

    Oscar's basket takes any product id it is posted, public or not.
    """

    def availability_policy(self, product, stockrecord):
        hidden = not product.is_public or (product.is_child and not product.parent.is_public)
        if hidden:
            return NotSold()
        return super().availability_policy(product, stockrecord)

    def parent_availability_policy(self, product, children_stock):
        if not product.is_public:
            return NotSold()
        return super().parent_availability_policy(product, children_stock)


class Singapore(
    strategy.UseFirstStockRecord,
    PublicOnly,
    strategy.StockRequired,
    GSTInclusive,
    strategy.Structured,
):
    """Use the first stockrecord, sell public products only, require stock where tracked,
    and price GST-inclusive."""


class Selector:
    """Return the clinic's strategy for every request."""

    def strategy(self, request=None, user=None, **kwargs):
        return Singapore(request)
