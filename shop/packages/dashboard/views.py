"""Dashboard -> Sessions: find a credit, redeem one session, undo, extend, refund unused ones.

Views stay thin: they read through the selectors and change through the
services, which lock the credit's row. Every change is a POST.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from shop.core.selectors import CLINIC_TZ
from shop.packages import disputes, liability, selectors, services
from shop.packages.dashboard.forms import (
    ExtendForm,
    FlagResolveForm,
    LiabilityForm,
    RedeemForm,
    RefundForm,
    UndoForm,
)
from shop.packages.dashboard.permissions import REDEEM_PERMISSION
from shop.packages.models import CreditEvent, PackageCredit


def _credit_or_404(code: str) -> PackageCredit:
    credit = PackageCredit.objects.filter(code=code.upper()).first()
    if credit is None:
        raise Http404("No credit with this code")
    return credit


def _detail_url(credit: PackageCredit) -> str:
    return reverse("packages-dashboard:packages-credit-detail", kwargs={"code": credit.code})


def _back(request, credit: PackageCredit) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = _detail_url(credit)
    return HttpResponseRedirect(target)


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


class CreditListView(TemplateView):
    """One search box (code, scanned QR URL, phone, email, name, order number) and the results."""

    template_name = "oscar/dashboard/packages/credit_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:200]
        context.update(
            query=query,
            credits=selectors.credits_search(query=query) if query else [],
            needing_staff=[] if query else selectors.credits_needing_staff(),
            can_change=self.request.user.has_perm(REDEEM_PERMISSION),
            today=timezone.localdate(timezone=CLINIC_TZ),
        )
        return context


class CreditDetailView(TemplateView):
    """A credit with its whole history, and the forms to change it."""

    template_name = "oscar/dashboard/packages/credit_detail.html"

    def get_context_data(self, **kwargs):
        credit = selectors.credit_for_staff(code=kwargs["code"])
        if credit is None:
            raise Http404("No credit with this code")
        now = timezone.now()
        undo_after = now - datetime.timedelta(hours=settings.PACKAGE_UNDO_HOURS)
        undone_ids = {e.undoes_id for e in credit.history if e.undoes_id}
        for event in credit.history:
            event.was_undone = event.pk in undone_ids
            event.undoable = (
                event.kind == CreditEvent.Kind.REDEEMED
                and not event.was_undone
                and event.created_at >= undo_after
            )
        refund_sessions, refund_amount = disputes.credit_refund_quote(credit=credit)
        context = super().get_context_data(**kwargs)
        context.update(
            credit=credit,
            can_change=self.request.user.has_perm(REDEEM_PERMISSION),
            can_refund=self.request.user.has_perm(REDEEM_PERMISSION)
            and self.request.user.has_perm("order.change_order"),
            refund_sessions=refund_sessions,
            refund_amount=refund_amount,
            qr_svg=selectors.credit_qr_svg(code=credit.code),
            undo_hours=settings.PACKAGE_UNDO_HOURS,
            extend_form=ExtendForm(),
            undo_form=UndoForm(),
        )
        return context


class CreditRedeemView(View):
    """Record one session used (POST)."""

    http_method_names = ["post"]

    def post(self, request, code):
        credit = _credit_or_404(code)
        form = RedeemForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return _back(request, credit)
        try:
            services.credit_redeem(
                credit_id=credit.pk, by=request.user, note=form.cleaned_data["note"]
            )
        except services.CreditRefused as refusal:
            messages.error(request, f"{credit.code}: {refusal}")
        else:
            credit.refresh_from_db()
            messages.success(
                request,
                f"One session of {credit.title} redeemed ({credit.code}): "
                f"{credit.sessions_left} of {credit.sessions_bought} sessions left.",
            )
        return _back(request, credit)


class CreditUndoView(View):
    """Give back the session of a recent redemption, with a reason (POST)."""

    http_method_names = ["post"]

    def post(self, request, code, event_id):
        credit = _credit_or_404(code)
        if not credit.events.filter(pk=event_id, kind=CreditEvent.Kind.REDEEMED).exists():
            raise Http404("No such redemption of this credit")
        form = UndoForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give a reason for undoing the redemption.")
            return _back(request, credit)
        try:
            services.credit_redemption_undo(
                event_id=event_id, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CreditRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Redemption undone: the session is back on the credit.")
        return _back(request, credit)


class CreditExtendView(View):
    """Move the credit's last valid day later, with a reason (POST)."""

    http_method_names = ["post"]

    def post(self, request, code):
        credit = _credit_or_404(code)
        form = ExtendForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return _back(request, credit)
        try:
            services.credit_extend(
                credit_id=credit.pk,
                by=request.user,
                valid_until=form.cleaned_data["valid_until"],
                reason=form.cleaned_data["reason"],
            )
        except services.CreditRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, f"Valid until {form.cleaned_data['valid_until']:%-d %B %Y} now."
            )
        return _back(request, credit)


class CreditRefundView(View):
    """Refund the credit's unused sessions through Stripe (POST)."""

    http_method_names = ["post"]

    def post(self, request, code):
        credit = _credit_or_404(code)
        form = RefundForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return _back(request, credit)
        try:
            event = disputes.credit_refund_unused(
                credit_id=credit.pk, by=request.user, note=form.cleaned_data["note"]
            )
        except services.CreditRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                f"Refunded S${-event.amount} for {-event.sessions} unused session(s) "
                f"({event.reference}).",
            )
        return _back(request, credit)


class CreditFlagResolveView(View):
    """Apply a refund made at Stripe to sessions, or clear the flag (POST)."""

    http_method_names = ["post"]

    def post(self, request, code):
        credit = _credit_or_404(code)
        form = FlagResolveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return _back(request, credit)
        try:
            disputes.credit_flag_resolve(
                credit_id=credit.pk,
                by=request.user,
                sessions=form.cleaned_data["sessions"],
                note=form.cleaned_data["note"],
            )
        except services.CreditRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "The refund made at Stripe is applied; the flag is cleared.")
        return _back(request, credit)


class LiabilityView(TemplateView):
    """Dashboard -> Accounting -> Package liability: the table, and its file as a download."""

    template_name = "oscar/dashboard/packages/liability.html"

    def get(self, request, *args, **kwargs):
        form = LiabilityForm(request.GET or None)
        today = timezone.localdate(timezone=CLINIC_TZ)
        as_of, date_from, date_to, file_format = today, None, None, ""
        if form.is_bound and form.is_valid():
            as_of = form.cleaned_data["as_of"] or today
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            file_format = form.cleaned_data["format"]
        elif form.is_bound:
            return self.render_to_response({"form": form}, status=400)
        if file_format:
            content, name = liability.liability_file(
                file_format=file_format, as_of=as_of, date_from=date_from, date_to=date_to
            )
            content_type = (
                "text/csv; charset=utf-8"
                if file_format == "csv"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        if date_from:
            table = liability.liability_for_period(date_from=date_from, date_to=date_to).table()
        else:
            table = liability.liability_as_of(day=as_of).table()
        return self.render_to_response(
            {
                "form": form if form.is_bound else LiabilityForm(initial={"as_of": today}),
                "headers": table[0],
                "rows": table[1:],
                "as_of": as_of,
                "date_from": date_from,
                "date_to": date_to,
                "query": request.GET.urlencode(),
            }
        )
