from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.views import View
from django.views.generic import ListView

from shop.lockouts import services
from shop.lockouts.selectors import lockouts_current


class LockoutListView(ListView):
    """List the sign-ins locked out now, each with its Unlock button."""

    template_name = "oscar/dashboard/lockouts/lockout_list.html"
    context_object_name = "lockouts"
    paginate_by = 50

    def get_queryset(self):
        return lockouts_current()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["cooloff_minutes"] = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return context


class LockoutUnlockView(View):
    """Unlock one account and address pair (POST only, with CSRF)."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            attempt_id = int(request.POST.get("attempt", ""))
        except ValueError:
            attempt_id = 0
        username = services.lockout_unlock(attempt_id=attempt_id)
        if username is None:
            messages.info(request, "That sign-in is not locked any more.")
        else:
            messages.success(request, f"{username} can sign in again.")
        return redirect("lockouts-dashboard:lockout-list")
