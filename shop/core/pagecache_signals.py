"""Bump the page cache's generation when anything a cached page shows is saved or deleted."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from shop.core.pagecache import pagecache_bump

# Apps whose rows the cached pages show: products, categories, images and attributes;
# stock and prices; offers and vouchers; reviews; conditions, articles and pages; sites.
WATCHED_APPS = (
    "catalogue",
    "partner",
    "offer",
    "voucher",
    "reviews",
    "content",
    "flatpages",
    "sites",
)


def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    labels = getattr(settings, "PAGECACHE_WATCHED_APPS", WATCHED_APPS)
    return meta is not None and meta.app_label in labels


def _bump(sender, **kwargs) -> None:
    """Bump now and again after commit: a page rendered in between is not kept."""
    if not _watched(sender) or kwargs.get("raw"):
        return
    pagecache_bump()
    transaction.on_commit(pagecache_bump, robust=True)


def _bump_stock(sender, **kwargs) -> None:
    # Oscar's stock allocation writes with update() and sends only pre_save.
    if sender._meta.label_lower == "partner.stockrecord":
        _bump(sender, **kwargs)


def pagecache_receivers_connect() -> None:
    """Connect the receivers (called from the core app's ready())."""
    post_save.connect(_bump, dispatch_uid="pagecache-post-save")
    post_delete.connect(_bump, dispatch_uid="pagecache-post-delete")
    pre_save.connect(_bump_stock, dispatch_uid="pagecache-pre-save-stock")

    def _m2m(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            _bump(sender, **kwargs)

    m2m_changed.connect(_m2m, weak=False, dispatch_uid="pagecache-m2m")
