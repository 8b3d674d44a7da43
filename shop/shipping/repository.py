"""Which shipping methods a basket is offered."""

from decimal import Decimal

from django.conf import settings
from oscar.apps.shipping import repository

from shop.shipping.methods import FlatRate, FreeOverThreshold


class Repository(repository.Repository):
    """Offer the flat rate, and free delivery once the basket reaches the threshold."""

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        offered = [FlatRate()]
        if basket.total_incl_tax >= Decimal(settings.SHOP_FREE_SHIPPING_THRESHOLD):
            # The cheaper method first: Oscar treats the first as the default.
            offered.insert(0, FreeOverThreshold())
        return offered
