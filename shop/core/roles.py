"""The staff roles and the permissions each carries.

Oscar 4 gives `is_staff` alone no dashboard pages: each dashboard view checks
model permissions, so the roles carry them. Used by the data migration that
creates the roles and by anything that needs them restored (tests that flush
the database).
"""

from django.contrib.auth.management import create_permissions

CLINIC_STAFF = "Clinic staff"
ACCOUNTANTS = "Accountants"

# (app label, model names or "*" for every model of the app, actions)
ROLE_PERMISSIONS: dict[str, list[tuple[str, object, tuple[str, ...]]]] = {
    CLINIC_STAFF: [
        ("catalogue", "*", ("view", "add", "change", "delete")),
        ("partner", ("stockrecord", "stockalert"), ("view", "add", "change", "delete")),
        ("partner", ("partner",), ("view",)),
        ("order", "*", ("view", "change")),
        ("offer", "*", ("view", "add", "change", "delete")),
        ("voucher", "*", ("view", "add", "change", "delete")),
        ("reviews", "*", ("view", "add", "change", "delete")),
        ("communication", ("communicationeventtype",), ("view", "change")),
        ("content", ("condition", "article"), ("view", "add", "change", "delete")),
        ("content", ("page",), ("view", "change")),
        # Package credits: read, and redeem/undo/extend (an extra permission below).
        ("packages", ("packagecredit", "creditevent"), ("view",)),
        # Bookings: the calendar and practitioners (booking for patients: an extra permission).
        ("bookings", "*", ("view", "add", "change", "delete")),
    ],
    ACCOUNTANTS: [
        ("order", "*", ("view",)),
        ("payment", "*", ("view",)),
        ("packages", ("packagecredit", "creditevent"), ("view",)),
        ("bookings", "*", ("view",)),
    ],
}

# Permissions of the shop's own (a model's Meta.permissions), by role: (app label, codename).
ROLE_EXTRA_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    ACCOUNTANTS: [("accounting", "export_orders")],
    CLINIC_STAFF: [("packages", "redeem_packagecredit"), ("bookings", "manage_bookings")],
}


def roles_ensure(*, apps) -> None:
    """Create the staff roles with their permissions (idempotent).

    `apps` is an app registry: a migration's historical one or `django.apps.apps`.
    """
    # Permissions are normally made after all migrations have run; make them now.
    for app_config in apps.get_app_configs():
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = had_models

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name, spec in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models, actions in spec:
            types = ContentType.objects.filter(app_label=app_label)
            if models != "*":
                types = types.filter(model__in=models)
            for content_type in types:
                codenames = [f"{action}_{content_type.model}" for action in actions]
                group.permissions.add(
                    *Permission.objects.filter(content_type=content_type, codename__in=codenames)
                )
        for app_label, codename in ROLE_EXTRA_PERMISSIONS.get(name, []):
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
