from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shop.notifications"
    label = "notifications"
    verbose_name = "Confirmations"

    def ready(self) -> None:
        from shop.notifications import receivers  # noqa: F401  (connects the signal receivers)
