from django.urls import path
from oscar.core.application import OscarDashboardConfig

VIEW = "privacy.view_deletionrequest"
CHANGE = "privacy.change_deletionrequest"


class PrivacyDashboardConfig(OscarDashboardConfig):
    """The dashboard's account deletion requests: listed, and carried out by POST."""

    label = "privacy_dashboard"
    name = "shop.privacy.dashboard"
    verbose_name = "Privacy dashboard"
    namespace = "privacy-dashboard"

    default_permissions = [VIEW]
    permissions_map = {
        "privacy-request-list": [VIEW],
        "privacy-request-carry-out": [CHANGE],
    }

    def get_urls(self):
        from shop.privacy.dashboard import views

        urls = [
            path("", views.RequestListView.as_view(), name="privacy-request-list"),
            path(
                "<int:pk>/carry-out/",
                views.RequestCarryOutView.as_view(),
                name="privacy-request-carry-out",
            ),
        ]
        return self.post_process_urls(urls)
