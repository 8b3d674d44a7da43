"""Thumbnails made once, when an image is saved, and found in process memory on a page view.

sorl-thumbnail keeps, per source image and size, the thumbnail's name and size in a
key-value store; the shop's store is the database behind Redis, so a listing asked
Redis once per card. `KVStore` keeps what it has read or written in the worker's
memory as well: a card's thumbnail is a dictionary look-up after the first page.
A thumbnail's key names its source file and options, so a new image is a new key;
a deleted one is dropped here too. Misses are not kept (another worker may make it).

`thumbnails_make` draws the sizes the storefront shows when a product image is saved
(a staff upload, load_catalogue), so no page view has to draw one.
"""

from sorl.thumbnail.kvstores import cached_db_kvstore

# (geometry, options) of the storefront's oscar_thumbnail tags: the card, the content and
# basket cards, and the product page's gallery (Oscar's partial).
STOREFRONT_SIZES = (
    ("x320", {"upscale": False}),
    ("x155", {"upscale": False}),
    ("100x100", {"upscale": False}),
    ("440x400", {"upscale": False}),
    ("65x55", {"crop": "center"}),
)
_MEMORY: dict[str, str] = {}
_MEMORY_LIMIT = 20_000


class KVStore(cached_db_kvstore.KVStore):
    """sorl's cached database store with a per-process memory in front of Redis."""

    def _get_raw(self, key):
        value = _MEMORY.get(key)
        if value is None:
            value = super()._get_raw(key)
            if value is not None and len(_MEMORY) < _MEMORY_LIMIT:
                _MEMORY[key] = value
        return value

    def _set_raw(self, key, value):
        super()._set_raw(key, value)
        _MEMORY[key] = value

    def _delete_raw(self, *keys):
        super()._delete_raw(*keys)
        for key in keys:
            _MEMORY.pop(key, None)


def thumbnails_make(*, image) -> None:
    """Draw the storefront's thumbnails of a product image now (each is made once)."""
    from oscar.core.thumbnails import get_thumbnailer

    if not image.original:
        return
    thumbnailer = get_thumbnailer()
    for size, options in STOREFRONT_SIZES:
        thumbnailer.generate_thumbnail(image.original, size=size, **options)


def thumbnails_make_all() -> int:
    """Draw the storefront's thumbnails of every product image (those missing are drawn)."""
    from oscar.core.loading import get_model

    images = get_model("catalogue", "ProductImage").objects.exclude(original="")
    count = 0
    for image in images.iterator():
        thumbnails_make(image=image)
        count += 1
    return count


def _made_on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        thumbnails_make(image=instance)


def thumbnails_receivers_connect() -> None:
    """Draw the thumbnails whenever a product image is saved (called from ready())."""
    from django.db.models.signals import post_save
    from oscar.core.loading import get_model

    post_save.connect(_made_on_save, sender=get_model("catalogue", "ProductImage"),
                      dispatch_uid="catalogue-thumbnails-make")  # fmt: skip
