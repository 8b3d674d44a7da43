"""Build paid and refunded orders as the payments area records them (see the contracts).

Orders go through Oscar's OrderCreator (`oscar.test.factories.create_order`) with
the clinic's real catalogue and pricing strategy; the payment is a "Stripe"
Source with the PaymentIntent id as reference and a "Settled" PaymentEvent;
a refund goes through `source.refund` and a "Refunded" PaymentEvent.
"""

from datetime import datetime
from decimal import Decimal
from itertools import count

from oscar.apps.shipping.methods import FixedPrice, Free
from oscar.core.loading import get_class, get_model
from oscar.test.factories import ConditionalOfferFactory, RangeFactory, create_order

from shop.core.money import gst_part
from shop.core.signals import refund_recorded
from shop.partner.strategy import Selector

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Applicator = get_class("offer.applicator", "Applicator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

_numbers = count(1)


def product_by_sku(sku: str):
    return Product.objects.get(stockrecords__partner_sku=sku)


def site_discount_create(*, percent: int = 10):
    """Create a site offer of `percent`% off everything (applied to baskets by the Applicator)."""
    everything = RangeFactory(includes_all_products=True)
    return ConditionalOfferFactory(
        benefit__type=Benefit.PERCENTAGE,
        benefit__value=percent,
        benefit__range=everything,
        condition__type=Condition.COUNT,
        condition__value=1,
        condition__range=everything,
    )


def paid_order_create(
    *,
    items: list[tuple[str, int]],
    placed_at: datetime,
    paid_at: datetime | None = None,
    user=None,
    guest_email: str = "guest@example.com",
    shipping_incl: Decimal | None = None,
    discount: bool = False,
    number: str | None = None,
    payment_intent: str | None = None,
):
    """Place an order of (SKU, quantity) items and record its Stripe payment."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for sku, quantity in items:
        basket.add_product(product_by_sku(sku), quantity)
    if discount:
        Applicator().apply(basket, user)
    if shipping_incl:
        method = FixedPrice(
            charge_excl_tax=shipping_incl - gst_part(shipping_incl), charge_incl_tax=shipping_incl
        )
    else:
        method = Free()
    extra = {} if user else {"guest_email": guest_email}
    order = create_order(
        number=number or f"T{next(_numbers):06d}",
        basket=basket,
        user=user,
        shipping_method=method,
        date_placed=placed_at,
        **extra,
    )
    payment_record(order=order, paid_at=paid_at or placed_at, payment_intent=payment_intent)
    return order


def payment_record(*, order, paid_at: datetime, payment_intent: str | None = None):
    """Record the order's Stripe payment: one Source and one "Settled" event."""
    reference = payment_intent or f"pi_test_{order.number}"
    source_type, _ = SourceType.objects.get_or_create(code="stripe", defaults={"name": "Stripe"})
    Source.objects.create(
        order=order,
        source_type=source_type,
        currency="SGD",
        amount_allocated=order.total_incl_tax,
        amount_debited=order.total_incl_tax,
        reference=reference,
    )
    settled, _ = PaymentEventType.objects.get_or_create(
        name="Settled", defaults={"code": "settled"}
    )
    event = PaymentEvent.objects.create(
        order=order, event_type=settled, amount=order.total_incl_tax, reference=reference
    )
    PaymentEvent.objects.filter(pk=event.pk).update(date_created=paid_at)
    return event


def refund_record(*, order, amount: Decimal, refunded_at: datetime, reference: str | None = None):
    """Record a refund as the payments area does; set the order's status accordingly."""
    reference = reference or f"re_test_{order.number}_{next(_numbers)}"
    source = order.sources.get()
    source.refund(amount, reference=reference)
    refunded, _ = PaymentEventType.objects.get_or_create(
        name="Refunded", defaults={"code": "refunded"}
    )
    event = PaymentEvent.objects.create(
        order=order, event_type=refunded, amount=amount, reference=reference
    )
    PaymentEvent.objects.filter(pk=event.pk).update(date_created=refunded_at)
    source.refresh_from_db()
    full = source.amount_refunded >= order.total_incl_tax
    if full:
        for line in order.lines.all():
            PaymentEventQuantity.objects.create(event=event, line=line, quantity=line.quantity)
    order.set_status("Refunded" if full else "Partially refunded")
    refund_recorded.send(sender=Order, order=order, amount=amount, reference=reference)
    return event
