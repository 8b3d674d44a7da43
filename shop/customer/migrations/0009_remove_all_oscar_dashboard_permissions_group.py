"""Remove Oscar's group "All Oscar Dashboard Permissions".

Oscar's 0008 made it with user administration rights (add, change, delete users) and put
every non-superuser staff account in it. The shop's roles ("Clinic staff", "Accountants",
shop/core/roles.py) carry the rights staff need; this group would hand whoever is added to
it the right to edit any account.
"""

from django.db import migrations

NAME = "All Oscar Dashboard Permissions"


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("customer", "0008_assign_permissions_to_staff")]

    operations = [migrations.RunPython(remove_group, migrations.RunPython.noop)]
