"""The PDF of a tax document: its HTML template, rendered by WeasyPrint on the server."""

import threading
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from shop.invoices.fonts import cjk_faces

TEMPLATE = "invoices/document.html"
STYLESHEET = "invoices/document.css"


@dataclass(frozen=True)
class _Renderer:
    font_config: FontConfiguration
    stylesheet: CSS


_local = threading.local()


def _renderer() -> _Renderer:
    """Return this thread's font configuration and parsed stylesheet, made once and kept.

    A font configuration loads Fontconfig's configuration and the system's fonts, and the
    stylesheet is the same for every document: made for each PDF, the two were a third of
    its time. Kept per thread (Pango's font map is not shared between threads): a worker
    process renders every PDF with the same ones.
    """
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        font_config = FontConfiguration()
        css = render_to_string(STYLESHEET, {"cjk_faces": cjk_faces(settings.INVOICE_FONT_DIR)})
        stylesheet = CSS(string=css, font_config=font_config)
        renderer = _local.renderer = _Renderer(font_config=font_config, stylesheet=stylesheet)
    return renderer


def snapshot_html(*, snapshot: dict) -> str:
    """Return the document's HTML from its snapshot (plain values, never model instances)."""
    return render_to_string(TEMPLATE, {"doc": snapshot})


def snapshot_pdf(*, snapshot: dict) -> bytes:
    """Return the document's PDF. Nothing is fetched: the template, its stylesheet and the
    shop's own cut of the Chinese font (a local file, `fonts.py`) are all."""
    renderer = _renderer()
    return HTML(string=snapshot_html(snapshot=snapshot), base_url=None).write_pdf(
        stylesheets=[renderer.stylesheet], font_config=renderer.font_config
    )
