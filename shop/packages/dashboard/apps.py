from django.urls import path
from oscar.core.application import OscarDashboardConfig

from shop.packages.dashboard.permissions import (
    LIABILITY_PERMISSION,
    REDEEM_PERMISSION,
    VIEW_PERMISSION,
)


class PackagesDashboardConfig(OscarDashboardConfig):
    """Dashboard -> Sessions: the front desk finds a credit and redeems its sessions.

    Clinic staff read and change credits; accountants only read them.
    """

    label = "packages_dashboard"
    name = "shop.packages.dashboard"
    verbose_name = "Sessions dashboard"
    namespace = "packages-dashboard"

    default_permissions = [VIEW_PERMISSION]
    permissions_map = {
        "packages-credit-list": [VIEW_PERMISSION],
        "packages-liability": [LIABILITY_PERMISSION],
        "packages-credit-detail": [VIEW_PERMISSION],
        "packages-credit-redeem": [REDEEM_PERMISSION],
        "packages-credit-undo": [REDEEM_PERMISSION],
        "packages-credit-extend": [REDEEM_PERMISSION],
        "packages-credit-flag": [REDEEM_PERMISSION],
        "packages-credit-refund": [REDEEM_PERMISSION, "order.change_order"],
    }

    def get_urls(self):
        from shop.packages.dashboard import views

        urls = [
            path("", views.CreditListView.as_view(), name="packages-credit-list"),
            path("liability/", views.LiabilityView.as_view(), name="packages-liability"),
            path("<str:code>/", views.CreditDetailView.as_view(), name="packages-credit-detail"),
            path(
                "<str:code>/redeem/",
                views.CreditRedeemView.as_view(),
                name="packages-credit-redeem",
            ),
            path(
                "<str:code>/undo/<int:event_id>/",
                views.CreditUndoView.as_view(),
                name="packages-credit-undo",
            ),
            path(
                "<str:code>/extend/",
                views.CreditExtendView.as_view(),
                name="packages-credit-extend",
            ),
            path(
                "<str:code>/refund/",
                views.CreditRefundView.as_view(),
                name="packages-credit-refund",
            ),
            path(
                "<str:code>/flag/",
                views.CreditFlagResolveView.as_view(),
                name="packages-credit-flag",
            ),
        ]
        return self.post_process_urls(urls)
