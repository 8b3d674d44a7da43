"""The content permissions of the "Clinic staff" role.

Used by this app's data migration and by anything that needs them restored
(tests that flush the database and rebuild the roles).
"""

from django.contrib.auth.management import create_permissions

from shop.core.roles import CLINIC_STAFF

CONTENT_MODELS = ("condition", "article")
CONTENT_ACTIONS = ("view", "add", "change", "delete")


def content_permissions_grant(*, apps) -> None:
    """Give the "Clinic staff" group every permission on conditions and articles (idempotent).

    `apps` is an app registry: a migration's historical one or `django.apps.apps`.
    """
    # Permissions are normally made after all migrations have run; make this app's now.
    app_config = apps.get_app_config("content")
    had_models = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = had_models

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CLINIC_STAFF)
    codenames = [f"{action}_{model}" for model in CONTENT_MODELS for action in CONTENT_ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
    )
