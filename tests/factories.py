"""Factories of the test suite, building on Oscar's own.

Paid and refunded orders are built as the payments area records them: Oscar's
OrderCreator (`oscar.test.factories.create_order`, which fires `order_placed`)
with the clinic's real catalogue and pricing strategy; the payment is a "Stripe"
Source with the PaymentIntent id as reference and a "Settled" PaymentEvent; a
refund goes through `source.refund` and a "Refunded" PaymentEvent.
"""

from datetime import datetime
from decimal import Decimal
from itertools import count

import factory
from django.db import transaction
from oscar.apps.shipping.methods import FixedPrice, Free, NoShippingRequired
from oscar.core.loading import get_class, get_model
from oscar.test.factories import ConditionalOfferFactory, RangeFactory, create_order
from oscar.test.factories import UserFactory as OscarUserFactory

from shop.core.money import gst_part
from shop.core.signals import refund_recorded
from shop.partner.strategy import Selector

Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Country = get_model("address", "Country")
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
PaymentEventType = get_model("order", "PaymentEventType")
Product = get_model("catalogue", "Product")
ShippingAddress = get_model("order", "ShippingAddress")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
Applicator = get_class("offer.applicator", "Applicator")


class UserFactory(OscarUserFactory):
    """A user with a known password ("secret-pass-123") and a unique email."""

    class Meta:
        # The password hook saves what it changed itself (factory_boy's own extra save is
        # deprecated).
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "secret-pass-123")
        if create:
            self.save(update_fields=["password"])


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
    placed_at: datetime | None = None,
    paid_at: datetime | None = None,
    user=None,
    guest_email: str = "guest@example.com",
    shipping_incl: Decimal | None = None,
    discount: bool = False,
    number: str | None = None,
    payment_intent: str | None = None,
):
    """Place an order of (SKU, quantity) items and record its Stripe payment, in one transaction.

    A basket with wellness products goes to a Singapore address, by standard
    delivery at `shipping_incl` (free when not given); a basket of treatment
    packages only needs no shipping.
    """
    with transaction.atomic():
        basket = Basket.objects.create(owner=user)
        basket.strategy = Selector().strategy(user=user)
        for sku, quantity in items:
            basket.add_product(product_by_sku(sku), quantity)
        if discount:
            Applicator().apply(basket, user)
        address, method = None, NoShippingRequired()
        if basket.is_shipping_required():
            address = singapore_address_create()
            method = StandardDelivery(shipping_incl) if shipping_incl else Free()
        extra = {} if user else {"guest_email": guest_email}
        if placed_at:
            extra["date_placed"] = placed_at
        order = create_order(
            number=number or f"T{next(_numbers):06d}",
            basket=basket,
            user=user,
            shipping_address=address,
            shipping_method=method,
            **extra,
        )
        payment_record(order=order, paid_at=paid_at or placed_at, payment_intent=payment_intent)
    return Order.objects.get(pk=order.pk)


class StandardDelivery(FixedPrice):
    """The delivery of wellness products, at a GST-inclusive charge."""

    code = "standard-delivery"
    name = "Standard delivery (2 to 4 working days)"

    def __init__(self, charge_incl_tax: Decimal):
        super().__init__(
            charge_excl_tax=charge_incl_tax - gst_part(charge_incl_tax),
            charge_incl_tax=charge_incl_tax,
        )


def singapore_address_create():
    """Return a new Singapore shipping address of an order."""
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="SG", defaults={"name": "Singapore", "printable_name": "Singapore"}
    )
    return ShippingAddress.objects.create(
        first_name="Mei Ling",
        last_name="Tan",
        line1="12 Tanjong Pagar Road",
        line2="#03-04",
        line4="Singapore",
        postcode="088443",
        country=country,
        phone_number="+6591234567",
    )


def payment_record(*, order, paid_at: datetime | None = None, payment_intent: str | None = None):
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
    if paid_at:
        PaymentEvent.objects.filter(pk=event.pk).update(date_created=paid_at)
    return event


def refund_record(
    *,
    order,
    amount: Decimal,
    refunded_at: datetime,
    reference: str | None = None,
    origin: str = "stripe",
):
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
    refund_recorded.send(
        sender=Order, order=order, amount=amount, reference=reference, origin=origin
    )
    return event
