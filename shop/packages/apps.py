from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "shop.packages"
    label = "packages"
    verbose_name = "Treatment packages"

    def ready(self) -> None:
        from shop.packages import receivers  # noqa: F401  (connects the signal receivers)
