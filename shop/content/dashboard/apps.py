"""The "Health content" section of the dashboard, and the catalogue dashboard linking to it."""

from django.urls import path
from oscar.apps.dashboard.catalogue import apps as catalogue_apps
from oscar.core.application import OscarDashboardConfig
from oscar.core.loading import get_class


class ContentDashboardConfig(OscarDashboardConfig):
    label = "content_dashboard"
    name = "shop.content.dashboard"
    namespace = "content_dashboard"
    verbose_name = "Content dashboard"

    default_permissions = ["content.view_condition", "content.view_article"]

    def configure_permissions(self) -> None:
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        perms = DashboardPermission.get
        self.permissions_map = {
            "content-condition-list": perms("content", "view_condition"),
            "content-condition-create": perms("content", "view_condition", "add_condition"),
            "content-condition-update": perms("content", "view_condition", "change_condition"),
            "content-condition-publish": perms("content", "view_condition", "change_condition"),
            "content-article-list": perms("content", "view_article"),
            "content-article-create": perms("content", "view_article", "add_article"),
            "content-article-update": perms("content", "view_article", "change_article"),
            "content-article-publish": perms("content", "view_article", "change_article"),
        }

    def ready(self) -> None:
        from shop.content.dashboard import views

        self.views = views
        self.configure_permissions()

    def get_urls(self):
        v = self.views
        urls = [
            path("conditions/", v.ConditionListView.as_view(), name="content-condition-list"),
            path(
                "conditions/create/",
                v.ConditionCreateView.as_view(),
                name="content-condition-create",
            ),
            path(
                "conditions/<int:pk>/",
                v.ConditionUpdateView.as_view(),
                name="content-condition-update",
            ),
            path(
                "conditions/<int:pk>/publish/",
                v.ConditionPublishView.as_view(),
                name="content-condition-publish",
            ),
            path("articles/", v.ArticleListView.as_view(), name="content-article-list"),
            path("articles/create/", v.ArticleCreateView.as_view(), name="content-article-create"),
            path(
                "articles/<int:pk>/",
                v.ArticleUpdateView.as_view(),
                name="content-article-update",
            ),
            path(
                "articles/<int:pk>/publish/",
                v.ArticlePublishView.as_view(),
                name="content-article-publish",
            ),
        ]
        return self.post_process_urls(urls)


class CatalogueDashboardConfig(catalogue_apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard, whose product page also shows and edits its content.

    Only the product create/update view changes (its form gains conditions and
    articles); everything else, templates included, stays Oscar's.
    """

    def ready(self) -> None:
        super().ready()
        from shop.content.dashboard.views import ProductCreateUpdateView

        self.product_createupdate_view = ProductCreateUpdateView
