"""The accountants' right to export orders (a permission of this app, granted to a role)."""

from shop.core.roles import ACCOUNTANTS

EXPORT_CODENAME = "export_orders"


def accounting_permissions_ensure(*, apps) -> None:
    """Create the export permission and grant it to the Accountants group (idempotent).

    `apps` is an app registry: a migration's historical one or `django.apps.apps`.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="accounting", model="exportlog")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=EXPORT_CODENAME,
        defaults={"name": "Can export orders for the accountants"},
    )
    group, _ = Group.objects.get_or_create(name=ACCOUNTANTS)
    group.permissions.add(permission)
