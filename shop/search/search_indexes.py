"""The products' search entry: Oscar's, with Chinese names and the conditions they may help.

Its text is read by the shop's analyzer (shop.search.analysis), so a Chinese
word inside a longer Chinese text is found, and a product is also found by
the names of its published conditions (腰痛 finds the cupping treatment).
"""

from haystack import indexes
from oscar.apps.search import search_indexes as oscar_indexes

from shop.search.analysis import shop_analyzer


class ProductIndex(oscar_indexes.ProductIndex):
    text = indexes.CharField(document=True, analyzer=shop_analyzer())

    def index_queryset(self, using=None):
        return (
            super()
            .index_queryset(using)
            .prefetch_related("conditions", "attribute_values__attribute")
        )

    def prepare_text(self, obj) -> str:
        values = {v.attribute.code: v.value for v in obj.attribute_values.all()}
        conditions = [
            f"{c.name} {c.chinese_name} {c.search_terms}"
            for c in obj.conditions.all()
            if c.is_published
        ]
        words = [obj.upc, obj.title, obj.description, values.get("chinese_name"), *conditions]
        return "\n".join(str(word) for word in words if word)
