"""Let the "Clinic staff" role manage conditions and articles (accountants may not)."""

from django.db import migrations

from shop.core.roles import roles_ensure


def grant(apps, schema_editor):
    roles_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("shop_core", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
