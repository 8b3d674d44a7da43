"""Let the "Clinic staff" role manage conditions and articles (accountants may not)."""

from django.db import migrations

from shop.content.permissions import content_permissions_grant


def grant(apps, schema_editor):
    content_permissions_grant(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("shop_core", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
