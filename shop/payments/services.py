"""Writes of the payments area: PaymentIntents, the orders they become, refunds, webhooks.

A paid PaymentIntent ends as exactly one order: the order is placed by
`order_place_for_intent`, which locks the intent's row, and Oscar's unique
order number backs it up. The browser's return and Stripe's webhook both call it.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from oscar.core.loading import get_class, get_model

from shop.core.money import from_cents, to_cents
from shop.core.signals import refund_recorded
from shop.payments import gateway, selectors
from shop.payments.models import PaymentIntent, WebhookEvent

logger = logging.getLogger("shop.payments")

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")
Applicator = get_class("offer.applicator", "Applicator")
Selector = get_class("partner.strategy", "Selector")

CURRENCY = "sgd"
# Statuses after which a PaymentIntent takes no other payment method.
FINAL_STATUSES = ("succeeded", "processing", "canceled")


class PaymentDeclined(Exception):
    """The card was declined or authentication failed; the patient may try again."""


class PaymentMismatch(Exception):
    """Stripe's PaymentIntent does not match the basket: no order is placed."""


class PaymentNotCompleted(Exception):
    """The PaymentIntent is not paid (yet)."""


class RefundRefused(Exception):
    """The refund asked for cannot be made; the message says why."""


# --- PaymentIntents ---------------------------------------------------------


def address_fields(address) -> dict:
    """Return an unsaved shipping address as JSON-ready fields."""
    if address is None:
        return {}
    skip = {"id", "search_text"}
    fields = {}
    for field in ShippingAddress._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(address, field.attname)
        fields[field.attname] = "" if value is None else str(value)
    return fields


def payment_intent_prepare(
    *, basket, order_number: str, amount: Decimal, checkout: dict
) -> PaymentIntent:
    """Create or update the one live PaymentIntent of a frozen basket and record it."""
    cents = to_cents(amount)
    order_number = str(order_number)
    with transaction.atomic():
        # The basket's row is the lock: two tabs or a double click wait for each other.
        Basket.objects.select_for_update().filter(pk=basket.pk).first()
        record = selectors.payment_intent_live_for_basket(basket_id=basket.pk)
        if record is not None and record.status in ("succeeded", "processing"):
            return record
        if record is not None and record.status == "requires_action":
            # A new card replaces one left half-authenticated: start afresh.
            _intent_abandon(record=record)
            record = None
        if record is not None:
            if to_cents(record.amount) != cents:
                intent = gateway.intent_update(intent_id=record.intent_id, amount=cents)
                record.amount = from_cents(intent.amount)
                record.status = intent.status
        else:
            attempt = PaymentIntent.objects.filter(basket_id=basket.pk).count()
            intent = gateway.intent_create(
                amount=cents,
                currency=CURRENCY,
                metadata={"basket_id": str(basket.pk), "order_number": order_number},
                # Same basket and amount: Stripe hands back the same intent on a retry.
                idempotency_key=f"shop-basket-{basket.pk}-{cents}-{attempt}",
            )
            record = PaymentIntent(
                intent_id=intent.id,
                basket=basket,
                amount=from_cents(intent.amount),
                currency=intent.currency.upper(),
                status=intent.status,
            )
        record.order_number = order_number
        record.checkout = checkout
        record.save()
    return record


def _intent_abandon(*, record: PaymentIntent) -> None:
    """Cancel an intent that can no longer be paid, so that it never takes money later."""
    try:
        intent = gateway.intent_cancel(intent_id=record.intent_id)
        record.status = intent.status
    except gateway.StripeError:
        # Already canceled or paid: read what it is.
        record.status = gateway.intent_retrieve(intent_id=record.intent_id).status
    record.save(update_fields=["status", "updated_at"])


def payment_intent_confirm(
    *, record: PaymentIntent, payment_method: str, return_url: str = ""
) -> gateway.Intent:
    """Attach the patient's payment method to the intent and confirm it.

    A declined card cancels the intent (the next attempt gets a new one) and
    raises PaymentDeclined with Stripe's message for the patient.
    """
    declined = ""
    with transaction.atomic():
        record = PaymentIntent.objects.select_for_update().get(pk=record.pk)
        if record.status in FINAL_STATUSES:
            return gateway.intent_retrieve(intent_id=record.intent_id)
        try:
            gateway.intent_update(intent_id=record.intent_id, payment_method=payment_method)
            intent = gateway.intent_confirm(intent_id=record.intent_id, return_url=return_url)
        except gateway.CardError as error:
            declined = error.user_message or "Your card was declined."
        except gateway.InvalidRequestError as error:
            logger.warning("PaymentIntent %s refused the card: %s", record.intent_id, error)
            declined = "This card could not be used. Please check its details or use another."
        if declined:
            _intent_abandon(record=record)
        else:
            record.status = intent.status
            record.save(update_fields=["status", "updated_at"])
    if declined:
        raise PaymentDeclined(declined)
    return intent


def payment_intent_refresh(*, record: PaymentIntent) -> gateway.Intent:
    """Re-read the intent from Stripe and record its status."""
    intent = gateway.intent_retrieve(intent_id=record.intent_id)
    PaymentIntent.objects.filter(pk=record.pk).update(status=intent.status)
    record.status = intent.status
    return intent


def payment_intent_fail(*, record: PaymentIntent, thaw: bool = True) -> None:
    """Give up an unpaid intent: cancel it at Stripe and give the patient the basket back."""
    with transaction.atomic():
        record = PaymentIntent.objects.select_for_update().get(pk=record.pk)
        if record.order_id or record.status == "succeeded":
            return
        if record.status != "canceled":
            _intent_abandon(record=record)
        live = selectors.payment_intent_live_for_basket(basket_id=record.basket_id)
        # A late failure of an earlier attempt must not unfreeze the basket that a newer
        # PaymentIntent is taking payment for.
        if thaw and record.status == "canceled" and live is None:
            _basket_thaw(basket_id=record.basket_id)


def _basket_thaw(*, basket_id: int | None) -> None:
    if basket_id is None:
        return
    basket = Basket.objects.select_for_update().filter(pk=basket_id).first()
    if basket is not None and basket.status == Basket.FROZEN:
        basket.thaw()


# --- Orders -----------------------------------------------------------------


class _OrderPlacer(OrderPlacementMixin):
    """Oscar's order placement, used outside a checkout view (no request, no session)."""

    request = None


def _checkout_user(checkout: dict):
    user_id = checkout.get("user_id")
    if user_id:
        user = get_user_model().objects.filter(pk=user_id).first()
        if user is not None:
            return user
    return AnonymousUser()


def _shipping_method(*, basket, code: str, address, user):
    for method in Repository().get_shipping_methods(
        basket=basket, user=user, shipping_addr=address, request=None
    ):
        if method.code == code:
            return method
    return None


def order_place_for_intent(*, intent_id: str) -> Order:
    """Place the order a paid PaymentIntent stands for, once, from its frozen basket.

    Re-reads the intent from Stripe and checks status, amount, currency and
    order number against the basket first. Raises PaymentNotCompleted when it
    is not paid and PaymentMismatch (recorded for staff) when it does not match.
    """
    mismatch = ""
    with transaction.atomic():
        record = PaymentIntent.objects.select_for_update().get(intent_id=intent_id)
        if record.order_id:
            return record.order
        intent = gateway.intent_retrieve(intent_id=intent_id)
        record.status = intent.status
        if intent.status != "succeeded":
            record.save(update_fields=["status", "updated_at"])
            raise PaymentNotCompleted(intent.status)
        order, mismatch = _order_place(record=record, intent=intent)
        if mismatch:
            record.problem = mismatch
            logger.error("PaymentIntent %s paid but not placed: %s", intent_id, mismatch)
        record.order = order
        record.save()
    if mismatch:
        raise PaymentMismatch(mismatch)
    return order


def _order_place(*, record: PaymentIntent, intent: gateway.Intent) -> tuple[Order | None, str]:
    existing = Order.objects.filter(number=record.order_number).first()
    if existing is not None:
        if existing.sources.filter(reference=record.intent_id).exists():
            return existing, ""
        return None, f"order {record.order_number} already exists with another payment"
    basket = (
        Basket.objects.select_for_update().filter(pk=record.basket_id).first()
        if record.basket_id
        else None
    )
    if basket is None or basket.status == Basket.SUBMITTED:
        return None, "the basket paid for is gone or was already ordered"

    checkout = record.checkout or {}
    user = _checkout_user(checkout)
    basket.strategy = Selector().strategy(user=user)
    Applicator().apply(basket, user, None)
    fields = checkout.get("shipping_address") or {}
    shipping_address = ShippingAddress(**fields) if fields else None
    method = _shipping_method(
        basket=basket,
        code=checkout.get("shipping_method", ""),
        address=shipping_address,
        user=user,
    )
    if method is None:
        return None, "the shipping method chosen is no longer offered"
    shipping_charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, shipping_charge)

    problems = []
    if intent.currency.lower() != CURRENCY:
        problems.append(f"currency {intent.currency} is not {CURRENCY}")
    if intent.amount != to_cents(total.incl_tax):
        problems.append(
            f"amount paid S${from_cents(intent.amount)} is not the basket's S${total.incl_tax}"
        )
    if intent.metadata.get("order_number") != record.order_number:
        problems.append("the order number in Stripe's metadata does not match")
    if problems:
        return None, "; ".join(problems)

    placer = _OrderPlacer()
    source_type, _ = SourceType.objects.get_or_create(
        code=selectors.STRIPE_SOURCE_CODE, defaults={"name": "Stripe"}
    )
    source = Source(
        source_type=source_type,
        currency=settings.OSCAR_DEFAULT_CURRENCY,
        amount_allocated=total.incl_tax,
        reference=record.intent_id,
    )
    placer.add_payment_source(source)
    placer.add_payment_event("Settled", total.incl_tax, reference=record.intent_id)
    order_kwargs = {}
    if not user.is_authenticated:
        order_kwargs["guest_email"] = checkout.get("guest_email", "")
    order = placer.place_order(
        order_number=record.order_number,
        user=user,
        basket=basket,
        shipping_address=shipping_address,
        shipping_method=method,
        shipping_charge=shipping_charge,
        order_total=total,
        billing_address=None,
        request=None,
        status=settings.OSCAR_INITIAL_ORDER_STATUS,
        **order_kwargs,
    )
    source.debit(total.incl_tax, reference=record.intent_id)
    basket.submit()
    logger.info("Order %s placed for PaymentIntent %s", order.number, record.intent_id)
    return order, ""


# --- Refunds ----------------------------------------------------------------


def refund_create(*, order: Order, amount: Decimal) -> str:
    """Refund part or all of what is still refundable on the order through Stripe.

    Returns the Stripe refund id. The shop computes what is refundable itself:
    an amount above it is refused before Stripe is asked.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        source = selectors.source_for_order(order=order)
        if source is None:
            raise RefundRefused("This order was not paid through Stripe.")
        refundable = selectors.order_refundable(order=order)
        if amount <= 0:
            raise RefundRefused("Enter an amount above zero.")
        if amount > refundable:
            raise RefundRefused(f"At most S${refundable} can still be refunded.")
        try:
            refund = gateway.refund_create(
                intent_id=source.reference,
                amount=to_cents(amount),
                # What was refunded before makes a second identical refund a new one.
                idempotency_key=(
                    f"shop-refund-{order.number}-{to_cents(source.amount_refunded)}"
                    f"-{to_cents(amount)}"
                ),
            )
        except gateway.StripeError as error:
            logger.error("Refund of order %s failed at Stripe: %s", order.number, error)
            raise RefundRefused(
                "Stripe did not make the refund; nothing was changed. Try again later."
            ) from error
        refund_record(order=order, amount=from_cents(refund.amount), reference=refund.id)
    return refund.id


def refund_record(*, order: Order, amount: Decimal, reference: str) -> bool:
    """Record a refund made at Stripe on the order, once per Stripe refund id.

    Returns False when the refund was recorded before.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        event_type, _ = PaymentEventType.objects.get_or_create(
            code="refunded", defaults={"name": "Refunded"}
        )
        if order.payment_events.filter(event_type=event_type, reference=reference).exists():
            return False
        source = selectors.source_for_order(order=order)
        source.refund(amount, reference=reference)
        event = PaymentEvent.objects.create(
            order=order, amount=amount, reference=reference, event_type=event_type
        )
        left = selectors.order_refundable(order=order)
        if left <= 0:
            for line in order.lines.all():
                PaymentEventQuantity.objects.create(event=event, line=line, quantity=line.quantity)
        _order_status_set(order=order, status="Refunded" if left <= 0 else "Partially refunded")
        refund_recorded.send(sender=Order, order=order, amount=amount, reference=reference)
    return True


def _order_status_set(*, order: Order, status: str) -> None:
    if order.status == status:
        return
    if status in order.available_statuses():
        order.set_status(status)
        return
    # A refund is a fact from Stripe: record it whatever the pipeline allows.
    old = order.status
    order.status = status
    order.save(update_fields=["status"])
    order.status_changes.create(old_status=old, new_status=status)


# --- Webhooks ---------------------------------------------------------------


def webhook_event_process(*, event: dict) -> str:
    """Process a verified Stripe event once; return what was done.

    The event's own data is not trusted to be current: the PaymentIntent or
    refund it names is re-read from Stripe.
    """
    obj = (event.get("data") or {}).get("object") or {}
    # One transaction: if processing fails (Stripe unreachable), the event is not kept
    # as processed and Stripe's retry is handled in full.
    with transaction.atomic():
        record, created = WebhookEvent.objects.get_or_create(
            event_id=event["id"],
            defaults={"type": event.get("type", ""), "object_id": str(obj.get("id", ""))},
        )
        if not created:
            return "duplicate"
        handler = _HANDLERS.get(event.get("type", ""))
        outcome = handler(obj) if handler else "ignored"
        record.outcome = outcome[:255]
        record.save(update_fields=["outcome"])
    return outcome


def _on_intent_succeeded(obj: dict) -> str:
    intent_id = obj.get("id", "")
    if not PaymentIntent.objects.filter(intent_id=intent_id).exists():
        return "unknown payment intent"
    try:
        order = order_place_for_intent(intent_id=intent_id)
    except PaymentNotCompleted as status:
        return f"not paid ({status})"
    except PaymentMismatch as problem:
        return f"not placed: {problem}"
    return f"order {order.number}"


def _on_intent_failed(obj: dict) -> str:
    record = PaymentIntent.objects.filter(intent_id=obj.get("id", "")).first()
    if record is None:
        return "unknown payment intent"
    intent = payment_intent_refresh(record=record)
    if intent.status in ("succeeded", "processing") or record.order_id:
        return f"ignored: intent is {intent.status}"
    payment_intent_fail(record=record)
    return "failed: basket given back" if record.basket_id else "failed"


def _on_charge_refunded(obj: dict) -> str:
    record = PaymentIntent.objects.filter(intent_id=obj.get("payment_intent") or "").first()
    if record is None or record.order_id is None:
        return "no order for this charge"
    refunds = ((obj.get("refunds") or {}).get("data")) or []
    recorded = 0
    for item in refunds:
        try:
            refund = gateway.refund_retrieve(refund_id=str(item.get("id", "")))
        except gateway.InvalidRequestError:
            logger.warning("charge.refunded names refund %s, unknown to Stripe", item.get("id"))
            continue
        if refund.status not in ("succeeded", "pending") or refund.intent_id != record.intent_id:
            continue
        if refund_record(
            order=record.order, amount=from_cents(refund.amount), reference=refund.id
        ):
            recorded += 1
    return f"{recorded} refund(s) recorded"


_HANDLERS = {
    "payment_intent.succeeded": _on_intent_succeeded,
    "payment_intent.payment_failed": _on_intent_failed,
    "charge.refunded": _on_charge_refunded,
}
