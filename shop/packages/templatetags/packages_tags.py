"""Template tags of the package credits: an order's credits, a credit's QR code."""

from django import template
from django.utils.safestring import mark_safe
from oscar.core.loading import get_model

from shop.packages import selectors

register = template.Library()
Order = get_model("order", "Order")


def _order(order):
    if isinstance(order, Order):
        return order
    return Order.objects.filter(number=str(order)).first()


@register.inclusion_tag("packages/partials/order_credits.html")
def order_credits(order, email=False):
    """Show an order's package credits: sessions, valid until, code and QR code.

    `order` is an Order or an order number; `email=True` renders for an email
    (PNG QR codes, inline styles).
    """
    order = _order(order)
    credits = selectors.credits_for_order(order=order) if order is not None else []
    rows = [
        {
            "title": credit.title,
            "sessions_bought": credit.sessions_bought,
            "sessions_left": credit.sessions_left,
            "session_minutes": credit.session_minutes,
            "valid_until": credit.valid_until,
            "code": credit.code,
            "qr_svg": "" if email else mark_safe(selectors.credit_qr_svg(code=credit.code)),  # noqa: S308  (segno's own markup)
            "qr_png": selectors.credit_qr_png_data_uri(code=credit.code) if email else "",
        }
        for credit in credits
    ]
    return {"credits": rows, "email": email}


@register.simple_tag
def credit_qr(code: str):
    """Return a credit's QR code as inline SVG."""
    return mark_safe(selectors.credit_qr_svg(code=code))  # noqa: S308  (segno's own markup)


@register.filter
def code_spaced(code: str) -> str:
    """Return a credit code in two groups of four, easier to read aloud ("ABCD EFGH")."""
    return f"{code[:4]} {code[4:]}" if code else ""


@register.simple_tag
def order_credits_text(order) -> str:
    """Return an order's credits as plain text lines for the text email ("" when none)."""
    order = _order(order)
    if order is None:
        return ""
    lines = [
        f"* {credit.title}: code {credit.code}, valid until {credit.valid_until:%-d %B %Y}"
        for credit in selectors.credits_for_order(order=order)
    ]
    if not lines:
        return ""
    return "\nYour codes (show them at the front desk):\n" + "\n".join(lines) + "\n"
