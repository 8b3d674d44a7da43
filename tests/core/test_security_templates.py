"""No template the shop serves has an inline event handler or an inline style element.

The Content-Security-Policy (script-src 'self' + nonce) blocks onclick="..." and the like, so
a button with one is dead. Every template name of the shop (templates/) and of Oscar is
resolved as the shop resolves it (the shop's override first), following {% extends %} with
the blocks each child replaces, so Oscar's handlers in blocks the shop overrides are not
counted and those in blocks it keeps are.
"""

import re
from pathlib import Path

import oscar
from django.conf import settings
from django.contrib.staticfiles import finders
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.base import TextNode
from django.template.loader_tags import BlockNode, ExtendsNode
from django.test import RequestFactory
from django.views.defaults import server_error

SHOP_TEMPLATES = Path(settings.BASE_DIR) / "templates"
OSCAR_TEMPLATES = Path(oscar.__file__).resolve().parent / "templates"
# An attribute on..="..." (onclick, onchange, onload, onerror...); JavaScript's el.onload = is
# no attribute (a dot before it, no quote after it).
HANDLER = re.compile(r"""(?:^|[\s"'])(on[a-z]+)\s*=\s*["']""")


def _names() -> list[str]:
    return sorted(
        {
            path.relative_to(base).as_posix()
            for base in (SHOP_TEMPLATES, OSCAR_TEMPLATES)
            for path in base.rglob("*.html")
        }
    )


def _texts(nodelist, blocks):
    for node in nodelist:
        if isinstance(node, TextNode):
            yield node.s
            continue
        if isinstance(node, BlockNode) and node.name in blocks:
            yield from _texts(blocks[node.name].nodelist, blocks)
            continue
        for attr in node.child_nodelists:
            yield from _texts(getattr(node, attr, None) or [], blocks)


def _served_text(template, blocks=None):
    """The template's literal text as rendered: its parents' with the blocks it replaces."""
    blocks = dict(blocks or {})
    extends = [node for node in template.nodelist if isinstance(node, ExtendsNode)]
    if not extends:
        return list(_texts(template.nodelist, blocks))
    for block in extends[0].nodelist.get_nodes_by_type(BlockNode):
        blocks.setdefault(block.name, block)  # the innermost child's block wins
    parent_name = extends[0].parent_name.resolve({})
    parent, _ = template.engine.find_template(parent_name, skip=[template.origin])
    return _served_text(parent, blocks)


def test_no_served_template_has_an_inline_event_handler():
    engine = engines["django"].engine
    found = []
    for name in _names():
        template = engine.get_template(name)
        for text in _served_text(template):
            found += [f"{name}: {m.group(1)}=" for m in HANDLER.finditer(text)]

    assert found == []


def test_the_scan_sees_oscars_handlers_where_the_shop_keeps_oscars_block():
    """The scan itself: Oscar's own form partial, not the shop's, has its onclick found."""
    engine = engines["django"].engine
    original, _ = engine.find_template(
        "oscar/partials/form.html", skip=[engine.get_template("oscar/partials/form.html").origin]
    )

    assert any(HANDLER.search(text) for text in _served_text(original))


def test_form_widgets_render_from_the_shops_templates():
    """Oscar's image field is the shop's copy (no handlers) only if widgets use TEMPLATES."""
    name = "oscar/forms/widgets/image_input_widget.html"
    widget = get_default_renderer().get_template(name)

    assert Path(widget.origin.name) == SHOP_TEMPLATES / name
    assert "onload" not in widget.origin.loader.get_contents(widget.origin)


def test_the_500_page_has_no_inline_style_and_its_stylesheet_is_a_static_file():
    """Rendered with no database (this test has none) and no request context."""
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()

    assert response.status_code == 500
    assert "<style" not in page
    assert " style=" not in page
    assert "<script" not in page
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert href == f"{settings.STATIC_URL}shop/css/error.css"
    stylesheet = Path(finders.find("shop/css/error.css")).read_text()
    assert "font-family" in stylesheet and "@import" not in stylesheet
