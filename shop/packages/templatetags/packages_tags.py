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


def _memo(context, key: tuple, make):
    """Return `make()`, kept for `key` in the memo a confirmation's sending gives its context.

    An order's confirmation and the clinic's copy are rendered by one task, each as HTML and
    text: without the memo, each render read the order and its credits again and drew the
    QR codes anew. The memo (`_package_credits`, no template variable: a name with an
    underscore is none) lives as long as that task; a page's context has none.
    """
    memo = context.get("_package_credits") if context is not None else None
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


@register.inclusion_tag("packages/partials/order_credits.html", takes_context=True)
def order_credits(context, order, email=False):
    """Show an order's package credits: sessions, valid until, code and QR code.

    `order` is an Order or an order number; `email=True` renders for an email
    (PNG QR codes, inline styles).
    """
    number = order.number if isinstance(order, Order) else str(order)
    credits = _memo(context, ("credits", number), lambda: _credits(order))
    rows = _memo(context, ("rows", number, bool(email)), lambda: _credit_rows(credits, email))
    return {"credits": rows, "email": email}


def _credits(order) -> list:
    order = _order(order)
    return list(selectors.credits_for_order(order=order)) if order is not None else []


def _credit_rows(credits: list, email) -> list[dict]:
    return [
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


@register.simple_tag
def credit_qr(code: str):
    """Return a credit's QR code as inline SVG."""
    return mark_safe(selectors.credit_qr_svg(code=code))  # noqa: S308  (segno's own markup)


@register.filter
def code_spaced(code: str) -> str:
    """Return a credit code in two groups of four, easier to read aloud ("ABCD EFGH")."""
    return f"{code[:4]} {code[4:]}" if code else ""


@register.simple_tag(takes_context=True)
def order_credits_text(context, order) -> str:
    """Return an order's credits as plain text lines for the text email ("" when none)."""
    number = order.number if isinstance(order, Order) else str(order)
    credits = _memo(context, ("credits", number), lambda: _credits(order))
    lines = [
        f"* {credit.title}: code {credit.code}, valid until {credit.valid_until:%-d %B %Y}"
        for credit in credits
    ]
    if not lines:
        return ""
    return "\nYour codes (show them at the front desk):\n" + "\n".join(lines) + "\n"


@register.simple_tag
def credit_reminder_details(code: str) -> dict:
    """Return the plain values a reminder email shows of the credit with this code."""
    from django.conf import settings
    from django.urls import reverse

    from shop.packages.models import PackageCredit
    from shop.packages.reminders import reminders_off_url

    credit = PackageCredit.objects.select_related("product__parent").filter(code=code).first()
    if credit is None:
        return {}
    product = credit.product
    treatment = (product.parent.title if product and product.parent_id else "") or credit.title
    left = credit.sessions_left
    return {
        "subject": (
            f"{settings.CLINIC_NAME}: {left} session{'' if left == 1 else 's'} of {treatment} "
            f"left, valid until {credit.valid_until:%-d %B %Y}"
        ),
        "code": credit.code,
        "title": credit.title,
        "treatment": treatment,
        "name": credit.name,
        "sessions_left": credit.sessions_left,
        "sessions_bought": credit.sessions_bought,
        "last_session": credit.sessions_left == 1,
        "valid_until": credit.valid_until,
        "treatments_url": f"{settings.SITE_URL}{reverse('packages:treatment-list')}",
        "off_url": reminders_off_url(email=credit.email),
    }


@register.inclusion_tag("oscar/dashboard/packages/_order_credits_panel.html", takes_context=True)
def order_credits_panel(context, order):
    """Show the order's credits on its dashboard page, each with "Refund unused sessions"."""
    from shop.packages.dashboard.permissions import REDEEM_PERMISSION
    from shop.packages.disputes import credit_refund_quote

    request = context.get("request")
    user = getattr(request, "user", None)
    can_refund = bool(
        user and user.has_perm(REDEEM_PERMISSION) and user.has_perm("order.change_order")
    )
    rows = []
    for credit in selectors.credits_for_order(order=order):
        sessions, amount = credit_refund_quote(credit=credit)
        rows.append({"credit": credit, "refund_sessions": sessions, "refund_amount": amount})
    return {"rows": rows, "can_refund": can_refund, "request": request}
