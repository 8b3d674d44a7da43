from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shop.core"
    label = "shop_core"
    verbose_name = "Clinic shop"

    def ready(self) -> None:
        from shop.core import checks  # noqa: F401  (registers the system checks)
        from shop.core.pagecache_signals import pagecache_receivers_connect

        pagecache_receivers_connect()
