"""Django's admin for superusers only: the dashboard is the staff's tool.

Django's own admin lets every `is_staff` account in; clinic staff could reassign an order
to another customer there. SHOP_ADMIN_ENABLED=false takes /admin/ off altogether.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(AdminSite):
    """The admin site, open to active superusers alone."""

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class ShopAdminConfig(AdminConfig):
    """django.contrib.admin with the superuser-only site as `admin.site`."""

    default_site = "shop.core.admin_site.SuperuserAdminSite"
