from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shop.core"
    label = "shop_core"
    verbose_name = "Clinic shop"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from shop.core import checks  # noqa: F401  (registers the system checks)
        from shop.core.sites import site_sync_after_migrate

        # The Site gets SITE_URL's domain and the clinic's name (not example.com): once per
        # migrate or flush, after the sites app's own receiver made its default Site.
        post_migrate.connect(
            site_sync_after_migrate,
            sender=apps.get_app_config("sites"),
            dispatch_uid="shop-site-sync",
        )

        from shop.core.pagecache_signals import pagecache_receivers_connect

        pagecache_receivers_connect()

        from shop.core.basket_summary import basket_summary_receivers_connect

        # The header's basket summary, kept per basket: stale at any change of it.
        basket_summary_receivers_connect()

        from shop.core.menu import menu_receivers_connect

        # The menu's Dashboard link, kept per user: stale at any change of permissions or groups.
        menu_receivers_connect()
