"""The Redis reads of the page frame (header, menu) in one round trip per request.

The header's basket summary reads three keys (`shop/core/basket_summary.py`) and the menu
two (`shop/core/menu.py`). Each round trip costs about 0.15-0.2 ms of CPU; the first frame
read of a request asks for every key the frame will want and keeps the answers on the
request, so the next one asks nothing. Only reads that are made once per request go here:
a value written later in the request is not read back from this memo.
"""

from django.core.cache import cache

_MISSING = object()


def _frame_keys(request) -> list[str]:
    from shop.core.menu import menu_keys

    return menu_keys(request)


def frame_get_many(request, keys: list[str]) -> dict:
    """Return the found values of `keys`, read with the frame's other keys in one round trip."""
    asked = request.__dict__.setdefault("_frame_read", {})
    wanted = [key for key in dict.fromkeys([*keys, *_frame_keys(request)]) if key not in asked]
    if wanted:
        found = cache.get_many(wanted)
        for key in wanted:
            asked[key] = found.get(key, _MISSING)
    return {key: asked[key] for key in keys if asked[key] is not _MISSING}
