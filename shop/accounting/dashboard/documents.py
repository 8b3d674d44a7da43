"""Dashboard -> Accounting -> Documents: a month's tax documents for the accountants.

The register (CSV) is made at once; the ZIP of the month's PDFs is built by the
worker, followed on a progress page, and sent by a view that checks the permission.
"""

import datetime
import posixpath

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from shop.core.downloads import private_file_response
from shop.core.selectors import CLINIC_TZ
from shop.invoices.archives import document_archive_request
from shop.invoices.models import DocumentArchive
from shop.invoices.register import register_csv

TEMPLATE = "oscar/dashboard/accounting/documents.html"
FIRST_MONTH = datetime.date(2000, 1, 1)


class MonthForm(forms.Form):
    """A calendar month (Singapore dates), typed as YYYY-MM."""

    month = forms.DateField(
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month"}),
        error_messages={"invalid": "Enter a month as YYYY-MM, e.g. 2026-11."},
    )

    def clean_month(self) -> datetime.date:
        month = self.cleaned_data["month"].replace(day=1)
        today = timezone.localdate(timezone=CLINIC_TZ)
        if not FIRST_MONTH <= month <= today.replace(day=1):
            raise forms.ValidationError("Pick a month from 2000 up to this month.")
        return month


def _page(request, form: MonthForm, *, status: int = 200) -> HttpResponse:
    context = {"form": form, "archives": DocumentArchive.objects.all()[:10]}
    return render(request, TEMPLATE, context, status=status)


class DocumentsView(View):
    """Pick a month: download its register, or have the worker build its ZIP."""

    def get(self, request):
        this_month = timezone.localdate(timezone=CLINIC_TZ).replace(day=1)
        return _page(request, MonthForm(initial={"month": this_month}))


class RegisterDownloadView(View):
    """Send the month's register: number, date, order, customer, excl. GST, GST, total."""

    def get(self, request):
        form = MonthForm(request.GET)
        if not form.is_valid():
            return _page(request, form, status=400)
        month = form.cleaned_data["month"]
        content, _ = register_csv(month=month)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="tax-documents-register-{month:%Y-%m}.csv"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ArchiveRequestView(View):
    """Record a request for the month's ZIP (POST) and follow its building."""

    def post(self, request):
        form = MonthForm(request.POST)
        if not form.is_valid():
            return _page(request, form, status=400)
        archive = document_archive_request(month=form.cleaned_data["month"], user=request.user)
        messages.info(request, "The ZIP is being built; this page follows it.")
        return redirect("accounting-dashboard:accounting-documents-archive", pk=archive.pk)


class ArchiveView(View):
    """Show a ZIP's progress, then its download link."""

    def get(self, request, pk: int):
        archive = get_object_or_404(DocumentArchive, pk=pk)
        return render(
            request, "oscar/dashboard/accounting/documents_archive.html", {"archive": archive}
        )


def archive_status(*, archive: DocumentArchive) -> dict:
    """Return what the progress page shows of a ZIP's build, as JSON values."""
    done = archive.status == DocumentArchive.Status.DONE and bool(archive.file)
    download = "accounting-dashboard:accounting-documents-archive-download"
    return {
        "status": archive.status,
        "status_display": archive.get_status_display(),
        "progress": archive.percent,
        "processed": archive.processed,
        "total": archive.total,
        "download_url": (reverse(download, args=[archive.pk]) if done else None),
    }


class ArchiveStatusView(View):
    """Answer the progress page's polling with the ZIP's status."""

    def get(self, request, pk: int):
        return JsonResponse(archive_status(archive=get_object_or_404(DocumentArchive, pk=pk)))


class ArchiveDownloadView(View):
    """Send a finished ZIP (private storage: only through this checked view)."""

    def get(self, request, pk: int):
        archive = get_object_or_404(DocumentArchive, pk=pk)
        if archive.status != DocumentArchive.Status.DONE or not archive.file:
            raise Http404("This ZIP is not ready.")
        return private_file_response(
            name=archive.file.name,
            filename=posixpath.basename(archive.file.name),
            content_type="application/zip",
        )
