"""The "Health content" section of the dashboard, and the catalogue dashboard linking to it."""

from django.urls import path
from oscar.apps.dashboard.catalogue import apps as catalogue_apps
from oscar.core.application import OscarDashboardConfig
from oscar.core.loading import get_class

# (URL name's action, path below the kind's folder, view, permission actions beyond "view")
_ACTIONS = (
    ("list", "", "ContentListView", ()),
    ("create", "create/", "ContentCreateView", ("add",)),
    ("update", "<int:pk>/", "ContentUpdateView", ("change",)),
    ("publish", "<int:pk>/publish/", "ContentPublishView", ("change",)),
)


class ContentDashboardConfig(OscarDashboardConfig):
    label = "content_dashboard"
    name = "shop.content.dashboard"
    namespace = "content-dashboard"
    verbose_name = "Content dashboard"

    default_permissions = ["content.view_condition", "content.view_article"]

    def actions(self):
        """Yield (kind, action, path, view name, permission actions) of every page."""
        for kind, spec in self.views.KINDS.items():
            for action, suffix, view, perms in _ACTIONS:
                if action in spec.actions:
                    yield kind, action, f"{kind}s/{suffix}", view, perms

    def configure_permissions(self) -> None:
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        self.permissions_map = {
            f"content-{kind}-{action}": DashboardPermission.get(
                "content", f"view_{kind}", *[f"{p}_{kind}" for p in perms]
            )
            for kind, action, _, _, perms in self.actions()
        }

    def ready(self) -> None:
        from shop.content.dashboard import views

        self.views = views
        self.configure_permissions()

    def get_urls(self):
        urls = [
            path(
                route,
                getattr(self.views, view).as_view(kind=kind),
                name=f"content-{kind}-{action}",
            )
            for kind, action, route, view, _ in self.actions()
        ]
        return self.post_process_urls(urls)


class CatalogueDashboardConfig(catalogue_apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard, whose product page also shows and edits its content.

    Only the product create/update view changes (its form gains conditions and
    articles, its images are checked for size); everything else, templates
    included, stays Oscar's.
    """

    def ready(self) -> None:
        super().ready()
        from shop.content.dashboard.views import ProductCreateUpdateView

        self.product_createupdate_view = ProductCreateUpdateView
