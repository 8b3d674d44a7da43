"""The notifications' dashboard apps: Oscar's email templates, previewed with plain values."""

from oscar.apps.dashboard.communications import apps as oscar_comms_apps


class CommunicationsDashboardConfig(oscar_comms_apps.CommunicationsDashboardConfig):
    """Oscar's email templates dashboard, whose preview renders against plain values."""

    def ready(self) -> None:
        super().ready()
        from shop.notifications.dashboard import views

        self.update_view = views.CommunicationUpdateView
