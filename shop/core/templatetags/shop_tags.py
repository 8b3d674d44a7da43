import html
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from shop.core.money import gst_part
from shop.core.text import markdown_to_html

register = template.Library()


@lru_cache(maxsize=512)
def _markdown_html(text: str) -> str:
    """Render a text once per process: the HTML depends on the text alone (a changed
    description is another key), and Markdown with nh3 costs 2-4 ms a description."""
    return markdown_to_html(text)


@lru_cache(maxsize=512)
def _markdown_plain(text: str) -> str:
    return " ".join(html.unescape(strip_tags(markdown_to_html(text))).split())


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render staff-written Markdown as sanitised HTML."""
    return mark_safe(_markdown_html(text or ""))  # noqa: S308  (sanitised by nh3)


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
    return _markdown_plain(text or "")


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


@register.simple_tag
def url_or_path(name: str, path: str) -> str:
    """Return the address of a named URL, or `path` where no such URL exists (yet)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return path


@register.filter
def split_hours(hours: str) -> list[str]:
    """Return the clinic's opening hours ("Mon-Fri 9am-8pm; Sat 9am-5pm") one line a day."""
    return [part.strip() for part in (hours or "").split(";") if part.strip()]


@register.simple_tag(takes_context=True)
def card_packages(context, product) -> dict:
    """Return a treatment card's packages (fewest sessions first) and its lowest session price.

    Reads the children, stock records and attribute values the listing prefetched
    (`products_listable`), so a page of cards runs no query per card.
    """
    from decimal import ROUND_HALF_UP

    from shop.core.money import CENT

    strategy = context["request"].strategy
    packages = []
    for child in product.get_public_children():
        info = strategy.fetch_for_product(child)
        if not info.price.exists:
            continue
        values = {v.attribute.code: v.value for v in child.attribute_values.all()}
        sessions = int(values.get("sessions") or 1)
        price = info.price.incl_tax
        packages.append(
            {
                "product": child,
                "sessions": sessions,
                "validity_days": values.get("validity_days"),
                "price": price,
                "currency": info.price.currency,
                "per_session": (price / sessions).quantize(CENT, rounding=ROUND_HALF_UP),
                "available": info.availability.is_available_to_buy,
            }
        )
    packages.sort(key=lambda package: package["sessions"])
    lowest = min(packages, key=lambda package: package["per_session"], default=None)
    return {"packages": packages, "lowest": lowest}


@register.filter
def cards_prefetch(products) -> list:
    """Return the products loaded with what their cards show, in a fixed number of queries."""
    from shop.catalogue.selectors import products_as_cards

    return products_as_cards(list(products))


@register.filter
def history_key(request, current_pk=None) -> str:
    """Return the product ids of the request's recently viewed cookie ("3,12,7") but the
    current product's (which the page's list leaves out)."""
    from oscar.core.loading import get_class

    history = get_class("customer.history", "CustomerHistoryManager")
    return ",".join(str(pk) for pk in history.extract(request) if pk != current_pk)


@register.filter
def card_ids(products) -> str:
    """Return the products' ids ("3,12,7"): a fragment's key for a list of cards."""
    return ",".join(str(product.pk) for product in products)


@register.filter
def chinese_name(product) -> str:
    """Return a product's Chinese name (its own or its parent's), from prefetched values."""
    for source in (product, getattr(product, "parent", None)):
        if source is None:
            continue
        for value in source.attribute_values.all():
            if value.attribute.code == "chinese_name" and value.value:
                return value.value
    return ""


@register.filter
def package_facts(product) -> dict | None:
    """Return a treatment package's sessions, minutes and validity, or None for a product."""
    if not product.is_child or not is_treatment(product):
        return None
    values = {v.attribute.code: v.value for v in product.attribute_values.all()}
    if not values.get("sessions"):
        return None
    return {
        "sessions": int(values["sessions"]),
        "session_minutes": values.get("session_minutes"),
        "validity_days": values.get("validity_days"),
    }


@register.filter
def line_package(line, order) -> dict | None:
    """Return an order line's package: sessions, minutes and the day it is valid until.

    Valid until is the day the order was paid (a Singapore date) plus the package's validity.
    """
    from datetime import timedelta

    from shop.core.selectors import CLINIC_TZ

    facts = package_facts(line.product) if line.product else None
    if facts is None:
        return None
    if facts["validity_days"]:
        paid_on = order.date_placed.astimezone(CLINIC_TZ).date()
        facts["valid_until"] = paid_on + timedelta(days=int(facts["validity_days"]))
    return facts
