"""My data: the patient's download and deletion request (account pages)."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from shop.privacy import services
from shop.privacy.models import DeletionRequest


class MyDataView(LoginRequiredMixin, TemplateView):
    """Show what the download holds and the button to ask for the account's deletion."""

    template_name = "shop/privacy/my_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending_request"] = DeletionRequest.objects.filter(
            user=self.request.user, status=DeletionRequest.Status.PENDING
        ).first()
        context["active_tab"] = "my-data"
        return context


class MyDataDownloadView(LoginRequiredMixin, View):
    """Send everything the shop holds about the patient as a JSON file."""

    def get(self, request):
        data = services.data_export(user=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        response["Cache-Control"] = "no-store"
        return response


class DeletionRequestView(LoginRequiredMixin, View):
    """Ask the clinic to delete the account (POST only)."""

    http_method_names = ["post"]

    def post(self, request):
        services.deletion_request_create(user=request.user)
        messages.success(
            request,
            "We have your request to delete your account. The clinic will carry it out "
            "within 30 days and email you when it is done.",
        )
        return redirect("privacy:my-data")
