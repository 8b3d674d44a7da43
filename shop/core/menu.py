"""Whether the site menu shows a signed-in user the Dashboard link, without permission queries.

The menu shows the link to staff and to those granted `partner.dashboard_access` (Oscar's
own test). Asking Django loads all of a user's permissions: two queries on every page of
every signed-in patient. Staff and active superusers are answered from the user row the
request loaded anyway; for the others the answer is kept in Redis per user, stamped with
the access generation, and read with the header's other keys in one round trip
(`shop/core/frame.py`). Any change of a user's or a group's permissions or of a user's
groups (through the admin, the dashboard or code: Django's m2m and save/delete signals)
bumps the generation, at once and again after commit, so a grant or a revocation shows on
the next page. A change made behind Django's back (raw SQL) shows within FLAG_TIMEOUT.
Without Redis the permissions are asked as before.
"""

import contextlib
import random

from django.core.cache import cache
from django.db import transaction

from shop.core.frame import frame_get_many

ACCESS_GENERATION_KEY = "menu:access-generation"
FLAG_TIMEOUT = 600
GENERATION_TIMEOUT = 30 * 24 * 3600
DASHBOARD_PERMISSION = "partner.dashboard_access"


def _asks_permissions(user) -> bool:
    """Tell whether the answer for this user needs their permissions (not staff nor superuser)."""
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and not user.is_staff
        and not user.is_superuser
    )


def _flag_key(user) -> str:
    # The row's creation time too: a user id given again (a restored or new database) is
    # another user, never the answer kept for the former one.
    joined = user.date_joined.timestamp() if user.date_joined else ""
    return f"menu:dashboard:u{user.pk}:{joined}"


def menu_keys(request) -> list[str]:
    """Return the Redis keys the menu reads for this request (none for staff or visitors)."""
    user = getattr(request, "user", None)
    if not _asks_permissions(user):
        return []
    return [ACCESS_GENERATION_KEY, _flag_key(user)]


def dashboard_link_shown(request) -> bool:
    """Tell whether the menu shows the request's user the Dashboard link (once a request)."""
    shown = request.__dict__.get("_dashboard_link_shown")
    if shown is None:
        shown = request._dashboard_link_shown = _dashboard_link_shown(request)
    return shown


def _dashboard_link_shown(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if not _asks_permissions(user):
        return user.has_perm(DASHBOARD_PERMISSION)  # an active superuser: no query
    flag_key = _flag_key(user)
    found = frame_get_many(request, [ACCESS_GENERATION_KEY, flag_key])
    generation = found.get(ACCESS_GENERATION_KEY)
    if generation is None:
        generation = random.randrange(1, 2**40)  # noqa: S311  (a stamp, no secret)
        if not cache.add(ACCESS_GENERATION_KEY, generation, GENERATION_TIMEOUT):
            generation = cache.get(ACCESS_GENERATION_KEY)
    kept = found.get(flag_key)
    if kept is not None and generation is not None and kept[0] == generation:
        return kept[1]
    shown = user.has_perm(DASHBOARD_PERMISSION)
    if generation is not None:
        cache.set(flag_key, (generation, shown), FLAG_TIMEOUT)
    return shown


def menu_access_bump() -> None:
    """Make every kept answer stale (now and after commit): permissions or groups changed."""

    def bump() -> None:
        with contextlib.suppress(ValueError):  # no generation yet: nothing kept under one
            cache.incr(ACCESS_GENERATION_KEY)

    bump()
    transaction.on_commit(bump, robust=True)


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    action = kwargs.get("action")
    if action is not None and action not in ("post_add", "post_remove", "post_clear"):
        return
    menu_access_bump()


def menu_receivers_connect() -> None:
    """Connect the receivers (called from the core app's ready())."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user_model = get_user_model()
    throughs = (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    )
    for through in throughs:
        name = through._meta.label_lower
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"menu-m2m-{name}")
        # A link row written directly (`through.objects.create`, a delete of the rows).
        post_save.connect(_changed, sender=through, dispatch_uid=f"menu-save-{name}")
        post_delete.connect(_changed, sender=through, dispatch_uid=f"menu-del-{name}")
    for model in (Group, Permission):
        name = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"menu-save-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"menu-del-{name}")
