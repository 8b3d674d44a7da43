"""Staff's action on a confirmation that could not be delivered: send it again."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from shop.notifications import services
from shop.notifications.models import Confirmation


class ConfirmationResendView(PermissionRequiredMixin, View):
    """Put a failed confirmation back in the queue (POST only), then return to the order."""

    permission_required = "order.change_order"
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request, pk: int):
        confirmation = get_object_or_404(Confirmation.objects.select_related("order"), pk=pk)
        if confirmation.status == Confirmation.Status.SENT:
            messages.info(request, "This email was sent already; it is not sent again.")
        else:
            services.confirmation_resend(confirmation_id=confirmation.pk)
            messages.success(
                request, f"The {confirmation.get_kind_display().lower()} is being sent again."
            )
        return redirect("dashboard:order-detail", number=confirmation.order.number)
