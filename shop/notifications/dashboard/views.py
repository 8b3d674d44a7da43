"""Dashboard views of the notifications: undelivered emails, sending again, template previews."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView
from oscar.apps.dashboard.communications import views as oscar_comms_views

from shop.notifications import selectors, services
from shop.notifications.models import Confirmation, OutboxEmail


class FailedEmailsView(TemplateView):
    """List the confirmations and other emails the worker gave up on, to send them again."""

    template_name = "oscar/dashboard/notifications/failed.html"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            confirmations=selectors.confirmations_failed(),
            emails=selectors.outbox_emails_failed(),
            **kwargs,
        )


def _back(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


class ConfirmationResendView(View):
    """Put a failed confirmation back in the queue (POST only), then return to the order."""

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
        order_url = reverse("dashboard:order-detail", kwargs={"number": confirmation.order.number})
        return _back(request, order_url)


class OutboxEmailResendView(View):
    """Put a failed email back in the queue (POST only), then return to the list."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        row = get_object_or_404(OutboxEmail, pk=pk)
        if row.status == OutboxEmail.Status.SENT:
            messages.info(request, "This email was sent already; it is not sent again.")
        else:
            services.outbox_email_resend(email_id=row.pk)
            messages.success(request, f"The email “{row.subject}” is being sent again.")
        return _back(request, "notifications-dashboard:notifications-failed")


class CommunicationUpdateView(oscar_comms_views.UpdateView):
    """Oscar's email template editor; its preview gets plain values, never model instances.

    Staff write these templates: a context holding the order (or the user) would let
    `{{ order.user.password }}` print a password hash.
    """

    def get_messages_context(self, form) -> dict:
        return selectors.preview_email_context(
            order=form.get_preview_context().get("order"), user=self.request.user
        )
