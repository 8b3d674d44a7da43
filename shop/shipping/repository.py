"""Which shipping methods a basket is offered."""

from decimal import Decimal

from django.conf import settings
from oscar.apps.shipping import repository

from shop.shipping.methods import FlatRate, FreeOverThreshold


class Repository(repository.Repository):
    """Offer the flat rate, or only free delivery once the basket reaches the threshold.

    A patient who qualifies for free delivery has nothing to choose (Oscar skips the step).
    """

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        if basket.total_incl_tax >= Decimal(settings.SHOP_FREE_SHIPPING_THRESHOLD):
            return [FreeOverThreshold()]
        return [FlatRate()]
