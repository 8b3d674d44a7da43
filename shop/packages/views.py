"""The patient's pages: My treatments, one credit, and claiming a guest's credits."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from shop.packages import claims, reminders, selectors


class TreatmentListView(LoginRequiredMixin, TemplateView):
    """Every credit of the patient, with sessions left, validity, code and QR code."""

    template_name = "packages/treatment_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["credits"] = selectors.credits_for_user(user=self.request.user)
        context["guest_credits"] = selectors.guest_credits_count(email=self.request.user.email)
        context["page_title"] = "My treatments"
        context["active_tab"] = "treatments"
        return context


class TreatmentDetailView(LoginRequiredMixin, TemplateView):
    """One of the patient's own credits (anyone else's is not found)."""

    template_name = "packages/treatment_detail.html"

    def get_context_data(self, **kwargs):
        credit = selectors.credit_for_user(user=self.request.user, code=kwargs["code"])
        if credit is None:
            raise Http404("No such treatment package")
        context = super().get_context_data(**kwargs)
        context.update(credit=credit, page_title=credit.title, active_tab="treatments")
        return context


class ClaimRequestView(LoginRequiredMixin, View):
    """Send the confirmation link for the account's email address (POST only)."""

    http_method_names = ["post"]

    def post(self, request):
        if claims.claim_request(user=request.user):
            messages.success(
                request,
                f"We have sent a confirmation link to {request.user.email}. "
                "Follow it to see your earlier treatments here.",
            )
        else:
            messages.info(request, "There are no earlier treatments to add.")
        return HttpResponseRedirect(reverse("packages:treatment-list"))


class ClaimConfirmView(LoginRequiredMixin, TemplateView):
    """The link from the email: a button that adds the earlier credits (state changes on POST)."""

    template_name = "packages/claim_confirm.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title="Confirm your email", active_tab="treatments")
        return context

    def post(self, request, token):
        try:
            count = claims.claim_confirm(user=request.user, token=token)
        except claims.ClaimInvalid as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(token=token), status=400)
        messages.success(request, f"Email confirmed: {count} earlier treatment(s) added.")
        return HttpResponseRedirect(reverse("packages:treatment-list"))


class RemindersOffView(TemplateView):
    """The link in every reminder: a button that turns package reminders off (no login)."""

    template_name = "packages/reminders_off.html"

    def _email(self, token: str) -> str:
        email = reminders.reminders_off_email(token=token)
        if not email:
            raise Http404("This link is not valid")
        return email

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email"] = self._email(kwargs["token"])
        return context

    def post(self, request, token):
        email = self._email(token)
        reminders.reminders_turn_off(email=email)
        return self.render_to_response({"email": email, "done": True})
