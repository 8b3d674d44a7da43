"""/sitemap.xml: products, conditions, articles and the clinic's pages, at SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from oscar.core.loading import get_model

from shop.content.models import Article, Condition, Page

Product = get_model("catalogue", "Product")


class _ShopSitemap(Sitemap):
    # The addresses come from SITE_URL rather than the Sites framework's placeholder domain.
    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"


class ProductSitemap(_ShopSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Product.objects.browsable().order_by("pk").only("id", "slug", "date_updated")

    def lastmod(self, obj):
        return obj.date_updated


class ConditionSitemap(_ShopSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Condition.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.date_updated


class ArticleSitemap(_ShopSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.date_updated


class PageSitemap(_ShopSitemap):
    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return Page.objects.order_by("pk")

    def lastmod(self, obj):
        return obj.date_updated


SITEMAPS = {
    "products": ProductSitemap,
    "conditions": ConditionSitemap,
    "articles": ArticleSitemap,
    "pages": PageSitemap,
}
