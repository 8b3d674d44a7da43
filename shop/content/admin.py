from django.contrib import admin

from shop.content.models import Article, Condition


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_published", "ordering")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("treatments",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "published_date", "is_published")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("conditions", "products")
