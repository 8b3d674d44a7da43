"""Make Singapore the one country the shop delivers to."""

from django.db import migrations


def singapore_ensure(apps, schema_editor):
    from shop.shipping.services import shipping_country_ensure

    shipping_country_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("shipping", "0003_auto_20181115_1953"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(singapore_ensure, migrations.RunPython.noop)]
