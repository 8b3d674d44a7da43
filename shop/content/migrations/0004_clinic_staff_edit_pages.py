"""Let the "Clinic staff" role edit the clinic's pages (about, contact, privacy...)."""

from django.db import migrations

from shop.core.roles import roles_ensure


def grant(apps, schema_editor):
    roles_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_condition_chinese_name_page"),
        ("shop_core", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
