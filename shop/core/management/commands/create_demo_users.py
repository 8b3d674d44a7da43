from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from shop.core.roles import ACCOUNTANTS, CLINIC_STAFF

# Local demo only: these passwords are printed by `make run` and never used in production.
DEMO_USERS = [
    # (email, password, first name, group, is_staff, is_superuser)
    ("patient@example.com", "patient-demo-1", "Pat", None, False, False),
    ("staff@example.com", "staff-demo-1", "Sam", CLINIC_STAFF, True, False),
    ("accountant@example.com", "accountant-demo-1", "Alex", ACCOUNTANTS, True, False),
    ("admin@example.com", "admin-demo-1", "Ada", None, True, True),
]


class Command(BaseCommand):
    help = "Create the demo logins of a local run (refused unless SHOP_LOCAL_DEMO and DEBUG)."

    def handle(self, *args, **options):
        if not (settings.SHOP_LOCAL_DEMO and settings.DEBUG):
            raise CommandError("Demo users are only made for local runs (SHOP_LOCAL_DEMO, DEBUG).")
        User = get_user_model()
        for email, password, first_name, group, is_staff, is_superuser in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(username=email, email=email, first_name=first_name)
            user.is_staff = is_staff
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            self.stdout.write(f"  {email:<26} {password}")
