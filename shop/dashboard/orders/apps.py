import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order dashboard; its views (shop/dashboard/orders/views.py) load through get_class.

    Only those who may change orders can post changes on its pages.
    """

    name = "shop.dashboard.orders"
