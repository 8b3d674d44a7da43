"""Oscar's dashboard, forked so that the shop's forks of its apps load through get_class.

Oscar resolves `get_class("dashboard.orders.views", ...)` through the app with
the label "dashboard": with this fork installed, a module under shop/dashboard/
(e.g. shop/dashboard/orders/views.py) takes over Oscar's, and anything not
forked here is Oscar's own.
"""

import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    name = "shop.dashboard"
