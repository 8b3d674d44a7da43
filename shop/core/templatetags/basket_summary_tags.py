"""`{% basket_summary as basket %}`: the header's count and total, kept per basket."""

from django import template

from shop.core.basket_summary import basket_summary

register = template.Library()


@register.simple_tag(takes_context=True, name="basket_summary")
def basket_summary_tag(context) -> dict:
    """Return the request's basket summary: num_items, total_incl_tax, currency."""
    request = context.get("request")
    if request is None or not hasattr(request, "basket"):
        return {"num_items": 0, "total_incl_tax": None, "currency": None, "is_tax_known": True}
    return basket_summary(request)
