"""Oscar's order dashboard views, where only those who may change orders can post changes.

Oscar lets anyone who may view an order also post status changes, notes and
payment events on it; accountants read orders and must change nothing.
"""

from django.core.exceptions import PermissionDenied
from oscar.apps.dashboard.orders import views as oscar_views

# Posted actions that only read (the order list's CSV of selected orders).
READ_ONLY_ACTIONS = {"download_selected_orders"}


class ChangeRequiresPermissionMixin:
    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in READ_ONLY_ACTIONS and not request.user.has_perm("order.change_order"):
            raise PermissionDenied("You may read orders but not change them.")
        return super().post(request, *args, **kwargs)


class OrderListView(ChangeRequiresPermissionMixin, oscar_views.OrderListView):
    """List orders; bulk status changes need the right to change orders."""


class OrderDetailView(ChangeRequiresPermissionMixin, oscar_views.OrderDetailView):
    """Show an order; notes, status changes and events need the right to change orders."""


class LineDetailView(ChangeRequiresPermissionMixin, oscar_views.LineDetailView):
    """Show an order line."""


class ShippingAddressUpdateView(oscar_views.ShippingAddressUpdateView):
    """Edit an order's shipping address (needs the right to change orders).

    The page is only a form, so readers are turned away before they fill it in.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("order.change_order"):
            raise PermissionDenied("You may read orders but not change them.")
        return super().dispatch(request, *args, **kwargs)
