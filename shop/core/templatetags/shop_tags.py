import html

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from shop.core.money import gst_part
from shop.core.text import markdown_to_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render staff-written Markdown as sanitised HTML."""
    return mark_safe(markdown_to_html(text))  # noqa: S308  (sanitised by nh3)


@register.filter
def meta_text(obj) -> str:
    """Return a page's meta description: the one staff wrote, else the description as plain text.

    Descriptions are Markdown: Oscar's own fallback (the description minus its tags) would put
    Markdown syntax into search engines' snippets. A child product falls back to its parent.
    """
    parent = obj.parent if getattr(obj, "is_child", False) else None
    meta = obj.meta_description or (parent.meta_description if parent else "")
    if meta:
        return meta
    text = obj.description or (parent.description if parent else "")
    return " ".join(html.unescape(strip_tags(markdown_to_html(text))).split())


@register.simple_tag
def gst_charged() -> bool:
    """Tell whether prices include GST, also where the page's context is not at hand.

    Oscar renders some product cards (recently viewed products) in a context of their own,
    without the context processors' `gst_registered`.
    """
    return settings.SHOP_GST_REGISTERED


@register.filter
def gst(amount):
    """Return the GST part of a GST-inclusive amount."""
    return gst_part(amount)


@register.simple_tag(takes_context=True)
def treatment_packages(context, product):
    """Return the packages (1, 5, 10 sessions) of a treatment with their savings."""
    from shop.catalogue.selectors import treatment_variants

    return treatment_variants(product=product, strategy=context["request"].strategy)


@register.filter
def is_treatment(product) -> bool:
    """Tell whether a product is a treatment package (or one of its packages)."""
    from shop.catalogue.services import TREATMENT_CLASS

    product_class = product.get_product_class()
    return product_class is not None and product_class.slug == TREATMENT_CLASS
