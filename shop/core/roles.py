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


def roles_ensure(*, apps, permissions_made: bool = False) -> None:
    """Create the staff roles with their permissions (idempotent).

    `apps` is an app registry: a migration's historical one or `django.apps.apps`.
    `permissions_made`: every app's permissions exist already (after a flush, whose
    post_migrate made them), so they are not made again.
    """
    if not permissions_made:
        # Permissions are normally made after all migrations have run; make them now.
        for app_config in apps.get_app_configs():
            had_models = getattr(app_config, "models_module", None)
            app_config.models_module = True
            create_permissions(app_config, verbosity=0, apps=apps)
            app_config.models_module = had_models

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        # One read of the permissions of the role's apps; each spec picks its own of them.
        labels = {app_label for app_label, _, _ in spec}
        found = Permission.objects.filter(content_type__app_label__in=labels).values_list(
            "pk", "content_type__app_label", "content_type__model", "codename"
        )
        wanted = []
        for pk, app_label, model, codename in found:
            for spec_label, models, actions in spec:
                if spec_label != app_label or (models != "*" and model not in models):
                    continue
                if codename in {f"{action}_{model}" for action in actions}:
                    wanted.append(pk)
                    break
        extra = ROLE_EXTRA_PERMISSIONS.get(name, [])
        for app_label, codename in extra:
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).values_list("pk", flat=True)
        group.permissions.add(*wanted)
