"""Give clinic staff and accountants the package credit permissions (see shop.core.roles)."""

from django.db import migrations

from shop.core.roles import roles_ensure


def grant(apps, schema_editor):
    roles_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("shop_core", "0001_roles"),
        ("packages", "0001_credits"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
