"""Oscar's basket, whose lines load what the basket and checkout pages read of them.

Oscar's `all_lines()` selects each line's product and stock record, but the strategy
picks a product's stock record from `product.stockrecords` (a query for each line,
twice on the basket page: the totals and `{% purchase_info_for_line %}`), shipping asks
for the product's class (a query a line) and the line's Chinese name reads the
product's attribute values (two queries a line). Here the lines come with all of it
in a fixed number of queries, and `num_lines` counts the loaded lines instead of
asking PostgreSQL (`is_empty` runs before the offers, which load the lines anyway).
"""

from django.db.models import Prefetch
from oscar.apps.basket.abstract_models import AbstractBasket
from oscar.core.loading import get_model

LINE_SELECTED = (
    "product__product_class",
    "product__parent__product_class",
    "stockrecord",
)


def _attribute_values():
    value_model = get_model("catalogue", "ProductAttributeValue")
    return value_model.objects.select_related("attribute")


class Basket(AbstractBasket):
    def all_lines(self):
        """Return the basket's lines (cached) with their products' stock, class and values."""
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            self._lines = (
                self.lines.select_related(*LINE_SELECTED)
                .prefetch_related(
                    "attributes",
                    "product__images",
                    "product__stockrecords",
                    Prefetch("product__attribute_values", queryset=_attribute_values()),
                    Prefetch("product__parent__attribute_values", queryset=_attribute_values()),
                )
                .order_by(self._meta.pk.name)
            )
        return self._lines

    @property
    def num_lines(self):
        """Return the number of lines, from the loaded lines (loading them if need be)."""
        return len(self.all_lines())


from oscar.apps.basket.models import *  # noqa: E402, F403
