"""`{% dashboard_link_shown as shown %}`: whether the menu shows the Dashboard link."""

from django import template

from shop.core.menu import dashboard_link_shown

register = template.Library()


@register.simple_tag(takes_context=True, name="dashboard_link_shown")
def dashboard_link_shown_tag(context) -> bool:
    """Tell whether the request's user sees the Dashboard link (no permission query kept)."""
    request = context.get("request")
    return request is not None and dashboard_link_shown(request)
