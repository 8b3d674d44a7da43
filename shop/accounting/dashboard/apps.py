from django.urls import path
from oscar.core.application import OscarDashboardConfig

EXPORT_PERMISSION = "accounting.export_orders"


class AccountingDashboardConfig(OscarDashboardConfig):
    """The dashboard's Accounting section: order exports and tax documents for accountants."""

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
        # The month's tax documents (register and ZIP): the same accountants.
        "accounting-documents": [EXPORT_PERMISSION],
        "accounting-documents-register": [EXPORT_PERMISSION],
        "accounting-documents-archive-request": [EXPORT_PERMISSION],
        "accounting-documents-archive": [EXPORT_PERMISSION],
        "accounting-documents-archive-status": [EXPORT_PERMISSION],
        "accounting-documents-archive-download": [EXPORT_PERMISSION],
    }

    def get_urls(self):
        from shop.accounting.dashboard import documents, views

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
            path("documents/", documents.DocumentsView.as_view(), name="accounting-documents"),
            path(
                "documents/register/",
                documents.RegisterDownloadView.as_view(),
                name="accounting-documents-register",
            ),
            path(
                "documents/archives/",
                documents.ArchiveRequestView.as_view(),
                name="accounting-documents-archive-request",
            ),
            path(
                "documents/archives/<int:pk>/",
                documents.ArchiveView.as_view(),
                name="accounting-documents-archive",
            ),
            path(
                "documents/archives/<int:pk>/status/",
                documents.ArchiveStatusView.as_view(),
                name="accounting-documents-archive-status",
            ),
            path(
                "documents/archives/<int:pk>/download/",
                documents.ArchiveDownloadView.as_view(),
                name="accounting-documents-archive-download",
            ),
        ]
        return self.post_process_urls(urls)
