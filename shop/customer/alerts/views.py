"""Oscar's stock alert links: the link in an email shows a button; only its POST acts."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from oscar.apps.customer.alerts import views
from oscar.core.loading import get_model

ProductAlert = get_model("customer", "ProductAlert")

TEMPLATE = "oscar/customer/alerts/alert_confirm.html"


class _ConfirmFirstMixin:
    action_label = ""

    def get_alert(self, request, kwargs):
        return get_object_or_404(ProductAlert, key=kwargs["key"])

    def get(self, request, *args, **kwargs):
        alert = self.get_alert(request, kwargs)
        return render(request, TEMPLATE, {"alert": alert, "action_label": self.action_label})

    def post(self, request, *args, **kwargs):
        self.alert = self.get_alert(request, kwargs)
        self.update_alert()
        return redirect(self.get_redirect_url(*args, **kwargs))


class ProductAlertConfirmView(_ConfirmFirstMixin, views.ProductAlertConfirmView):
    """Confirm a stock alert from the link in its email."""

    action_label = "Activate the stock alert"


class ProductAlertCancelView(_ConfirmFirstMixin, views.ProductAlertCancelView):
    """Cancel a stock alert: by its key (email link) or by its id (signed-in patient)."""

    action_label = "Cancel the stock alert"

    def get_alert(self, request, kwargs):
        if "key" in kwargs:
            return get_object_or_404(ProductAlert, key=kwargs["key"])
        if request.user.is_authenticated:
            return get_object_or_404(ProductAlert, user=request.user, pk=kwargs.get("pk"))
        raise Http404

    def get_redirect_url(self, *args, **kwargs):
        wanted = self.request.GET.get("next", "")
        if wanted and url_has_allowed_host_and_scheme(wanted, {self.request.get_host()}):
            return wanted
        return self.alert.product.get_absolute_url()
