from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView

from shop.accounting.dashboard.forms import ExportForm
from shop.accounting.exports import (
    export_bytes,
    export_csv_stream,
    export_job_spec,
    export_log_start,
)
from shop.accounting.models import ExportFormat, ExportJob, ExportLog, ExportOrigin
from shop.accounting.services import export_job_create
from shop.core.downloads import private_file_response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


class ExportView(FormView):
    """Pick a range, statuses, layout and format; download, or start a background export."""

    template_name = "oscar/dashboard/accounting/export.html"
    form_class = ExportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_exports"] = ExportLog.objects.select_related("user")[:15]
        context["recent_jobs"] = ExportJob.objects.filter(user=self.request.user)[:5]
        return context

    def form_valid(self, form):
        spec = form.cleaned_data["spec"]
        user = self.request.user
        if form.cleaned_data["background"]:
            job = export_job_create(spec=spec, user=user)
            messages.info(self.request, "The export is being built; this page follows it.")
            return redirect("accounting-dashboard:accounting-job", pk=job.pk)
        if spec.format == ExportFormat.CSV:
            log = export_log_start(spec=spec, user=user, origin=ExportOrigin.DASHBOARD)
            response = StreamingHttpResponse(
                export_csv_stream(spec=spec, log=log), content_type="text/csv; charset=utf-8"
            )
        else:
            content, _ = export_bytes(spec=spec, user=user, origin=ExportOrigin.DASHBOARD)
            response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = _attachment(spec.filename)
        return response


class JobView(DetailView):
    """Show a background export's progress, then its download link."""

    model = ExportJob
    template_name = "oscar/dashboard/accounting/job.html"
    context_object_name = "job"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_days"] = settings.ACCOUNTING_EXPORT_RETENTION_DAYS
        return context


class JobStatusView(View):
    """Answer the progress page's polling with the job's status as JSON."""

    def get(self, request, pk):
        job = get_object_or_404(ExportJob, pk=pk)
        data = {
            "status": job.status,
            "status_display": job.get_status_display(),
            "progress": job.progress,
            "processed": job.processed_orders,
            "total": job.total_orders,
            "download_url": (
                reverse("accounting-dashboard:accounting-job-download", args=[job.pk])
                if job.status == ExportJob.Status.DONE
                else None
            ),
        }
        return JsonResponse(data)


class JobDownloadView(View):
    """Send a finished background export's file (private: only through this checked view)."""

    def get(self, request, pk):
        job = get_object_or_404(ExportJob, pk=pk)
        if job.status != ExportJob.Status.DONE or not job.file:
            raise Http404("This export is not ready, or was deleted after the retention period.")
        return private_file_response(
            name=job.file.name, filename=export_job_spec(job=job).filename, content_type=XLSX_TYPE
        )
