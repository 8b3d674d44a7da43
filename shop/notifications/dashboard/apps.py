"""The notifications' dashboard apps: undelivered emails, and Oscar's email templates
previewed with plain values."""

from django.urls import path
from oscar.apps.dashboard.communications import apps as oscar_comms_apps
from oscar.core.application import OscarDashboardConfig


class CommunicationsDashboardConfig(oscar_comms_apps.CommunicationsDashboardConfig):
    """Oscar's email templates dashboard, whose preview renders against plain values."""

    def ready(self) -> None:
        super().ready()
        from shop.notifications.dashboard import views

        self.update_view = views.CommunicationUpdateView


# Clinic staff (who may change orders) and superusers: the same right as sending again from
# the order's page. Accountants read orders but send nothing.
RESEND_PERMISSION = "order.change_order"


class NotificationsDashboardConfig(OscarDashboardConfig):
    """The dashboard's undelivered emails: confirmations and other emails the worker gave up on."""

    label = "notifications_dashboard"
    name = "shop.notifications.dashboard"
    verbose_name = "Notifications dashboard"
    namespace = "notifications-dashboard"

    default_permissions = [RESEND_PERMISSION]
    permissions_map = {
        "notifications-failed": [RESEND_PERMISSION],
        "confirmation-resend": [RESEND_PERMISSION],
        "email-resend": [RESEND_PERMISSION],
    }

    def get_urls(self):
        from shop.notifications.dashboard import views

        urls = [
            path("", views.FailedEmailsView.as_view(), name="notifications-failed"),
            path(
                "<int:pk>/resend/",
                views.ConfirmationResendView.as_view(),
                name="confirmation-resend",
            ),
            path(
                "emails/<int:pk>/resend/",
                views.OutboxEmailResendView.as_view(),
                name="email-resend",
            ),
        ]
        return self.post_process_urls(urls)
