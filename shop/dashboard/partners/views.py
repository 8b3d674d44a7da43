"""Oscar's partner dashboard views, closed where Oscar leaves them open.

- Linking a user to a partner (which grants dashboard access) answers only POST: Oscar
  linked on GET, so an <img> on any site, opened by a superuser, gave a patient the orders.
- Saving the partner page needs `partner.change_partner`: Oscar maps the page to the view
  right, so staff who may only read the partner could save it.
"""

from django.core.exceptions import PermissionDenied
from oscar.apps.dashboard.partners import views


class PartnerUserLinkView(views.PartnerUserLinkView):
    """Link a user to a partner (POST only)."""

    http_method_names = ["post", "options"]


class PartnerUserUnlinkView(views.PartnerUserUnlinkView):
    """Unlink a user from a partner (POST only)."""

    http_method_names = ["post", "options"]


class PartnerManageView(views.PartnerManageView):
    """Show a partner to those who may view it; save it only for those who may change it."""

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("partner.change_partner"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)
