"""`{% fragment key... %}...{% endfragment %}`: a template fragment kept in the cache.

Like Django's `{% cache %}`, keyed by the values given and by the page cache's
generation (so it goes stale with every edit the page cache watches), but safe
around forms: the CSRF tokens inside are kept blank and the current visitor's token
is put back on every render, so no visitor ever gets another's token.
"""

import hashlib

from django import template
from django.core.cache import cache
from django.utils.safestring import mark_safe

from shop.core.pagecache import csrf_blank, csrf_filled, pagecache_generation

register = template.Library()

TIMEOUT = 600


def _generation(context) -> int:
    """Return the generation, read once per request."""
    request = context.get("request")
    if request is None:
        return pagecache_generation()
    if not hasattr(request, "_fragment_generation"):
        request._fragment_generation = pagecache_generation()
    return request._fragment_generation


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary: list):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context) -> str:
        parts = ":".join(str(value.resolve(context)) for value in self.vary)
        digest = hashlib.sha256(parts.encode()).hexdigest()[:20]
        key = f"fragment:{self.name}:{_generation(context)}:{digest}"
        html = cache.get(key)
        if html is None:
            html = csrf_blank(self.nodelist.render(context))
            cache.set(key, html, TIMEOUT)
        html = csrf_filled(html, context.get("csrf_token", ""))
        return mark_safe(html)  # noqa: S308  (rendered by the template engine, escaped there)


@register.tag("fragment")
def do_fragment(parser, token):
    """Parse `{% fragment name value... %}...{% endfragment %}`."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])
