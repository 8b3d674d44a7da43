"""Pricing strategy of the clinic: SGD prices that include GST."""

from decimal import Decimal

from oscar.apps.partner import strategy
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


class Singapore(
    strategy.UseFirstStockRecord, strategy.StockRequired, GSTInclusive, strategy.Structured
):
    """Use the first stockrecord, require stock where tracked, and price GST-inclusive."""


class Selector:
    """Return the clinic's strategy for every request."""

    def strategy(self, request=None, user=None, **kwargs):
        return Singapore(request)
