"""Grant the Accountants group the right to export orders (accounting.export_orders)."""

from django.db import migrations

from shop.core.roles import roles_ensure


def grant(apps, schema_editor):
    roles_ensure(apps=apps)


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="accounting", codename="export_orders"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0001_initial"),
        ("shop_core", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
