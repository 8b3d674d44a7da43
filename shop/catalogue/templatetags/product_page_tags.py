"""`{% kept_part name %}...{% endkept_part %}`: a part of a shopper's product page, kept.

The product view (shop/catalogue/views.py) puts `product_parts` in the context when it
answers from the cache (each part's HTML, CSRF tokens blank) and `product_parts_new`
when it renders a page it will keep: then each part is rendered, noted there with its
tokens blanked, and the view keeps them (shop/catalogue/kept.py). Without either (a
signed-in patient, staff) the part is simply rendered. Either way the visitor's own
CSRF token is put back.
"""

from django import template
from django.utils.safestring import mark_safe

from shop.catalogue.kept import html_blank, html_filled

register = template.Library()


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
            html = new[self.name] = html_blank(html)
        # Rendered by the template engine (escaped there); the token is Django's own.
        return mark_safe(html_filled(html, context.get("csrf_token", "")))  # noqa: S308


@register.tag("kept_part")
def do_kept_part(parser, token):
    """Parse `{% kept_part name %}...{% endkept_part %}`."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("kept_part takes one name")
    nodelist = parser.parse(("endkept_part",))
    parser.delete_first_token()
    return KeptPartNode(nodelist, bits[1].strip("\"'"))
