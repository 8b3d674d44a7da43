"""The dashboard's apps: Oscar's menu finds each page's permissions by its URL name."""

from oscar.apps.dashboard import nav
from oscar.core.loading import get_class


def test_url_names_are_unique_across_the_dashboard_apps():
    nav._dashboard_url_names_to_config.cache_clear()

    names = nav._dashboard_url_names_to_config()  # raises ImproperlyConfigured on a clash

    assert names["payments-problem-list"].label == "payments_dashboard"
    assert names["order-detail"].label == "orders_dashboard"


def test_the_order_dashboard_views_are_the_shops_fork():
    view = get_class("dashboard.orders.views", "OrderDetailView")

    assert view.__module__ == "shop.dashboard.orders.views"
