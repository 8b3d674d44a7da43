"""The parts of a product page that are kept (`{% kept_part %}`) and a patient's own parts in
a kept body (`{% patient_part %}`).

The product view (shop/catalogue/views.py) puts `product_parts` in the context when it
answers from the cache (each part's HTML, CSRF tokens blank) and `product_parts_new`
when it renders a page it will keep: then each part is rendered, noted there with its
tokens blanked, and the view keeps it (shop/catalogue/kept.py). Without either (staff)
the part is simply rendered. Either way the visitor's own CSRF token is put back.

For a signed-in patient (`patient_share` in the context) a patient part is kept in the
body as a marker naming its template, and each response renders the marked templates
for its own patient (their stock alert, wish lists, reviews and votes); for anyone else
it is simply included.
"""

import re

from django import template
from django.utils.safestring import mark_safe

from shop.core.pagecache import csrf_blank, csrf_filled

register = template.Library()

PATIENT_PARTS = (
    "oscar/catalogue/partials/add_to_wishlist.html",
    "oscar/catalogue/partials/stock_alert.html",
    "oscar/catalogue/partials/product_reviews.html",
)
MARKER = "<!--patient-part:{}-->"
MARKERS = re.compile(r"<!--patient-part:(\d+)-->")


def _patient_part(context, name: str) -> str:
    return context.template.engine.get_template(name).render(context)


def _patient_parts_filled(context, html: str) -> str:
    if "<!--patient-part:" not in html:
        return html
    return MARKERS.sub(lambda m: _patient_part(context, PATIENT_PARTS[int(m.group(1))]), html)


class KeptPartNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        kept = context.get("product_parts")
        if kept is not None and self.name in kept:
            html = kept[self.name]
        else:
            html = self.nodelist.render(context)
            new = context.get("product_parts_new")
            if new is None:
                return html
            html = new[self.name] = csrf_blank(html)
        html = _patient_parts_filled(context, csrf_filled(html, context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308  (rendered by the template engine, escaped there)


@register.tag("kept_part")
def do_kept_part(parser, token):
    """Parse `{% kept_part name %}...{% endkept_part %}`."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("kept_part takes one name")
    nodelist = parser.parse(("endkept_part",))
    parser.delete_first_token()
    return KeptPartNode(nodelist, bits[1].strip("\"'"))


@register.simple_tag(takes_context=True)
def patient_part(context, name: str) -> str:
    """Include `name`, or mark its place in a patient's kept body."""
    if context.get("patient_share"):
        return mark_safe(MARKER.format(PATIENT_PARTS.index(name)))  # noqa: S308  (our own marker)
    return mark_safe(_patient_part(context, name))  # noqa: S308  (rendered by the engine)
