from oscar.apps.dashboard.orders import apps as oscar_apps


class OrdersDashboardConfig(oscar_apps.OrdersDashboardConfig):
    """Oscar's order dashboard, with changes kept for those who may change orders."""

    def ready(self) -> None:
        super().ready()
        from shop.order.dashboard import views

        self.order_list_view = views.OrderListView
        self.order_detail_view = views.OrderDetailView
        self.line_detail_view = views.LineDetailView
        self.shipping_address_view = views.ShippingAddressUpdateView
