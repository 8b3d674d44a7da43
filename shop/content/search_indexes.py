"""Search entries for published conditions and articles, next to Oscar's products.

They share the Whoosh index with products; Oscar's product search keeps to
products (it filters on product fields), and the search results page adds
these through shop.content.selectors.content_search.
"""

from haystack import indexes

from shop.content.models import Article, Condition
from shop.search.analysis import shop_analyzer


class _PublishedIndex(indexes.SearchIndex):
    # The same analyzer as the products' text (one Whoosh schema): Chinese words match inside.
    text = indexes.CharField(document=True, analyzer=shop_analyzer())

    def get_updated_field(self):
        return "date_updated"

    def index_queryset(self, using=None):
        return self.get_model().objects.published()

    def read_queryset(self, using=None):
        # Results are loaded through this: a draft, or an article not yet due, drops out.
        return self.get_model().objects.published()

    def update_object(self, instance, using=None, **kwargs):
        # Saving an unpublished draft must take it out of search, not put it in.
        if instance.is_published:
            return super().update_object(instance, using=using, **kwargs)
        return self.remove_object(instance, using=using, **kwargs)


class ConditionIndex(_PublishedIndex, indexes.Indexable):
    def get_model(self):
        return Condition

    def index_queryset(self, using=None):
        return super().index_queryset(using).prefetch_related("treatments")

    def prepare_text(self, obj: Condition) -> str:
        # Its treatments' names too: "cupping" finds the conditions cupping may help.
        treatments = [p.title for p in obj.treatments.all()]
        words = [obj.name, obj.chinese_name, obj.search_terms, obj.summary, obj.tcm_view, obj.body]
        return "\n".join([*words, *treatments])


class ArticleIndex(_PublishedIndex, indexes.Indexable):
    def get_model(self):
        return Article

    def prepare_text(self, obj: Article) -> str:
        return "\n".join([obj.title, obj.summary, obj.author, obj.body])
