"""The sites framework's Site carries the shop's own address and name, not example.com.

Django's password-reset emails (and anything else that builds an absolute link from the
current Site) would otherwise send patients to http://example.com.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_sync(*, using: str = "default", apps=None) -> None:
    """Set the current Site's domain and name from SITE_URL and CLINIC_NAME (idempotent)."""
    if apps is None:
        from django.apps import apps
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or settings.SITE_URL
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.CLINIC_NAME}
    )


def site_sync_after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    """Run `site_sync` after every `migrate` and `flush` (post_migrate receiver)."""
    if apps is None:  # flush sends the signal without the migration state
        from django.apps import apps
    try:
        apps.get_model("sites", "Site")
    except LookupError:
        return
    site_sync(using=using, apps=apps)
