from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import ListView

from shop.privacy import services
from shop.privacy.models import DeletionRequest


class RequestListView(ListView):
    """List the deletion requests, pending first."""

    template_name = "oscar/dashboard/privacy/request_list.html"
    context_object_name = "deletion_requests"
    paginate_by = 50

    def get_queryset(self):
        return DeletionRequest.objects.select_related("user", "done_by").order_by(
            "-status", "requested_at"
        )


class RequestCarryOutView(View):
    """Delete the account of a request (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        deletion = get_object_or_404(DeletionRequest, pk=pk)
        if deletion.status == DeletionRequest.Status.DONE:
            messages.info(request, "This request was carried out already.")
        else:
            services.deletion_request_carry_out(request_id=deletion.pk, staff=request.user)
            messages.success(request, "The account was deleted and its orders anonymised.")
        return redirect("privacy-dashboard:privacy-request-list")
