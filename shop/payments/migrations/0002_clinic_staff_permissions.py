"""Let the clinic's staff see Stripe payments that did not become orders."""

from django.db import migrations

PERMISSIONS = ("view_paymentintent", "view_webhookevent")


def grant(apps, schema_editor):
    from shop.core.roles import CLINIC_STAFF, roles_ensure

    roles_ensure(apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name=CLINIC_STAFF)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="payments", codename__in=PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("shop_core", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
