"""Grant the Accountants group the right to export orders (accounting.export_orders)."""

from django.db import migrations

from shop.accounting.roles import EXPORT_CODENAME, accounting_permissions_ensure


def grant(apps, schema_editor):
    accounting_permissions_ensure(apps=apps)


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="accounting", codename=EXPORT_CODENAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0001_initial"),
        ("shop_core", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
