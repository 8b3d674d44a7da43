"""Make Singapore the one country the shop delivers to."""

from django.db import migrations


def singapore_ensure(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update(is_shipping_country=False)
    Country.objects.update_or_create(
        iso_3166_1_a2="SG",
        defaults={
            "iso_3166_1_a3": "SGP",
            "iso_3166_1_numeric": "702",
            "printable_name": "Singapore",
            "name": "Republic of Singapore",
            "display_order": 0,
            "is_shipping_country": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("shipping", "0003_auto_20181115_1953"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(singapore_ensure, migrations.RunPython.noop)]
