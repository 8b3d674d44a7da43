from django.urls import path
from oscar.core.application import OscarDashboardConfig

# Unlocking deletes axes' records of the failures: the right to delete them is the right to
# unlock. Superusers have it; give it to a group in /admin/ to let the front desk unlock.
UNLOCK = "axes.delete_accessattempt"


class LockoutsDashboardConfig(OscarDashboardConfig):
    """Customers > Locked sign-ins: the account and address pairs locked out now, to unlock."""

    label = "lockouts_dashboard"
    name = "shop.lockouts.dashboard"
    verbose_name = "Locked sign-ins dashboard"
    namespace = "lockouts-dashboard"

    default_permissions = [UNLOCK]
    permissions_map = {
        "lockout-list": [UNLOCK],
        "lockout-unlock": [UNLOCK],
    }

    def get_urls(self):
        from shop.lockouts.dashboard import views

        urls = [
            path("", views.LockoutListView.as_view(), name="lockout-list"),
            path("unlock/", views.LockoutUnlockView.as_view(), name="lockout-unlock"),
        ]
        return self.post_process_urls(urls)
