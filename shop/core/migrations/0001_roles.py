"""Create the staff roles "Clinic staff" and "Accountants" (see shop.core.roles)."""

from django.db import migrations

from shop.core.roles import ACCOUNTANTS, CLINIC_STAFF, roles_ensure


def create_roles(apps, schema_editor):
    roles_ensure(apps=apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[CLINIC_STAFF, ACCOUNTANTS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
        ("partner", "0007_partneraddress_code"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("offer", "0013_range_excluded_categories"),
        ("voucher", "0010_auto_20210224_0712"),
        ("reviews", "0005_productreview_code"),
        ("payment", "0005_auto_20200801_0817"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
