from django.urls import path
from oscar.core.application import OscarDashboardConfig

EXPORT_PERMISSION = "accounting.export_orders"


class AccountingDashboardConfig(OscarDashboardConfig):
    """The dashboard's Accounting section: order exports for accountants and superusers."""

    label = "accounting_dashboard"
    name = "shop.accounting.dashboard"
    verbose_name = "Accounting dashboard"
    namespace = "accounting-dashboard"

    # Every page needs the export permission, held by the Accountants group (and superusers).
    default_permissions = [EXPORT_PERMISSION]
    permissions_map = {
        "accounting-export": [EXPORT_PERMISSION],
        "accounting-job": [EXPORT_PERMISSION],
        "accounting-job-status": [EXPORT_PERMISSION],
        "accounting-job-download": [EXPORT_PERMISSION],
    }

    def get_urls(self):
        from shop.accounting.dashboard import views

        urls = [
            path("export/", views.ExportView.as_view(), name="accounting-export"),
            path("jobs/<uuid:pk>/", views.JobView.as_view(), name="accounting-job"),
            path(
                "jobs/<uuid:pk>/status/",
                views.JobStatusView.as_view(),
                name="accounting-job-status",
            ),
            path(
                "jobs/<uuid:pk>/download/",
                views.JobDownloadView.as_view(),
                name="accounting-job-download",
            ),
        ]
        return self.post_process_urls(urls)
