"""Template tags of the payments area."""

from django import template

from shop.payments import selectors
from shop.payments.forms import RefundForm

register = template.Library()


@register.inclusion_tag("oscar/dashboard/payments/refund_panel.html", takes_context=True)
def order_refund_panel(context, order):
    """Show what was paid and refunded, and the refund form to staff who may refund."""
    source = selectors.source_for_order(order=order)
    request = context["request"]
    refundable = selectors.order_refundable(order=order)
    may_refund = request.user.has_perm("order.change_order") and refundable > 0
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "order": order,
        "source": source,
        "refundable": refundable,
        "refund_form": RefundForm(order=order) if may_refund else None,
        "refunds": order.payment_events.filter(event_type__code="refunded").order_by(
            "date_created"
        ),
    }
