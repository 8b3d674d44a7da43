"""The dashboard's Payments section: payments that did not become an order, and refunds."""

from django.urls import path
from oscar.core.application import OscarDashboardConfig


class PaymentsDashboardConfig(OscarDashboardConfig):
    label = "payments_dashboard"
    name = "shop.payments.dashboard"
    namespace = "payments-dashboard"
    verbose_name = "Payments dashboard"

    # Whoever may see the orders may see the payments that did not become one;
    # refunding needs the right to change orders.
    default_permissions = ["order.view_order"]
    permissions_map = {
        "payments-problem-list": ["order.view_order"],
        "payments-order-refund": ["order.view_order", "order.change_order"],
    }

    def get_urls(self):
        from shop.payments.dashboard import views

        urls = [
            path("problems/", views.ProblemListView.as_view(), name="payments-problem-list"),
            path(
                "orders/<str:number>/refund/",
                views.OrderRefundView.as_view(),
                name="payments-order-refund",
            ),
        ]
        return self.post_process_urls(urls)
