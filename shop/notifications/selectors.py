"""Reads for the confirmations: what an email shows, and which confirmations are owed."""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.catalogue.selectors import TREATMENT_CLASS
from shop.core.money import gst_rate, order_gst
from shop.core.selectors import CLINIC_TZ, clinic_details
from shop.notifications.models import Confirmation, OutboxEmail
from shop.payments.selectors import order_refunded

Order = get_model("order", "Order")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
Source = get_model("payment", "Source")


@dataclass(frozen=True)
class ConfirmationLine:
    """One line of an order as a confirmation shows it."""

    title: str
    chinese_name: str
    sku: str
    quantity: int
    unit_price: Decimal
    line_price: Decimal
    is_package: bool
    sessions: int | None
    session_minutes: int | None
    validity_days: int | None
    valid_until: datetime.date | None


def _attribute_values(product) -> dict:
    values = {v.attribute.code: v.value for v in product.attribute_values.all()}
    if product.parent_id:
        for v in product.parent.attribute_values.all():
            values.setdefault(v.attribute.code, v.value)
    return values


def order_placed_date(*, order) -> datetime.date:
    """Return the day the order was placed, in Singapore time."""
    return timezone.localtime(order.date_placed, CLINIC_TZ).date()


def order_confirmation_lines(*, order) -> list[ConfirmationLine]:
    """Return the order's lines; a treatment package with its sessions and valid-until date.

    A package is valid for `validity_days` from the day the order was placed
    (Singapore time).
    """
    placed_on = order_placed_date(order=order)
    values = ProductAttributeValue.objects.select_related("attribute")
    lines = order.lines.select_related(
        "product__product_class", "product__parent__product_class"
    ).prefetch_related(
        Prefetch("product__attribute_values", queryset=values),
        Prefetch("product__parent__attribute_values", queryset=values),
    )
    rows = []
    for line in lines:
        product = line.product
        values = _attribute_values(product) if product is not None else {}
        product_class = product.get_product_class() if product is not None else None
        is_package = bool(product_class and product_class.slug == TREATMENT_CLASS)
        validity = values.get("validity_days") if is_package else None
        rows.append(
            ConfirmationLine(
                title=line.title,
                chinese_name=values.get("chinese_name") or "",
                sku=line.partner_sku,
                quantity=line.quantity,
                unit_price=line.unit_price_incl_tax,
                line_price=line.line_price_incl_tax,
                is_package=is_package,
                sessions=values.get("sessions") if is_package else None,
                session_minutes=values.get("session_minutes") if is_package else None,
                validity_days=validity,
                valid_until=placed_on + datetime.timedelta(days=int(validity))
                if validity
                else None,
            )
        )
    return rows


def order_payment_reference(*, order) -> str:
    """Return the Stripe reference of the order's payment (the PaymentIntent id), or "".

    Reads `order.sources.all()`, so an order fetched with its sources (and their types)
    prefetched, as the worker's emails fetch it, costs no query here.
    """
    sources = sorted((s for s in order.sources.all() if s.reference), key=lambda s: s.pk)
    source = next((s for s in sources if s.source_type.code == "stripe"), None) or next(
        iter(sources), None
    )
    if source is not None:
        return source.reference
    event = order.payment_events.filter(event_type__code="settled").exclude(reference="").first()
    return event.reference if event is not None else ""


def order_absolute_url(*, order) -> str:
    """Return the link a patient follows to see the order.

    A signed-in patient's order is on their account page; a guest's order on
    Oscar's order status page, opened by the order's verification hash.
    """
    if order.user_id:
        path = reverse("customer:order", kwargs={"order_number": order.number})
    else:
        path = reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    return f"{settings.SITE_URL}{path}"


def order_confirmation_details(*, order) -> dict:
    """Return everything a confirmation email shows about an order, as plain values.

    Staff edit the email templates: they get names, lines, amounts and links,
    never a model instance whose attributes (e.g. the account's password hash)
    a template could reach.
    """
    lines = [dataclasses.asdict(line) for line in order_confirmation_lines(order=order)]
    address = order.shipping_address
    return {
        "lines": lines,
        "packages": [line for line in lines if line["is_package"]],
        "products": [line for line in lines if not line["is_package"]],
        "placed_on": order_placed_date(order=order),
        "customer_name": (order.user.get_full_name() if order.user_id else "")
        or (address.name if address else ""),
        # Products are delivered; treatment packages are used at the clinic.
        "shipping_required": any(not line["is_package"] for line in lines),
        "shipping_address": [str(field) for field in address.active_address_fields()]
        if address
        else [],
        "shipping_method": str(order.shipping_method),
        "discounts": [
            {"description": str(d.description), "amount": d.amount} for d in order.discounts.all()
        ],
        "gst": order_gst(order=order),
        "gst_rate": gst_rate(),
        "gst_registered": settings.SHOP_GST_REGISTERED,
        "payment_reference": order_payment_reference(order=order),
        "refunded": order_refunded(order=order),
        "order_url": order_absolute_url(order=order),
        "dashboard_url": settings.SITE_URL
        + reverse("dashboard:order-detail", kwargs={"number": order.number}),
        "site_url": settings.SITE_URL,
        "clinic": clinic_details(),
    }


def order_email_values(*, order) -> dict:
    """Return the order as an email template sees it: plain values, with its `details`."""
    return {
        "number": order.number,
        "currency": order.currency,
        "status": order.status,
        "date_placed": order.date_placed,
        "email": order_recipient(order=order),
        # Tells a guest's order (no account page) from a signed-in patient's.
        "user_id": order.user_id,
        "total_incl_tax": order.total_incl_tax,
        "total_excl_tax": order.total_excl_tax,
        "shipping_incl_tax": order.shipping_incl_tax,
        "basket_total_incl_tax": order.basket_total_incl_tax,
        "details": order_confirmation_details(order=order),
    }


def email_site_values() -> dict:
    """Return the site as an email template sees it (in place of Oscar's Site instance)."""
    return {"name": settings.CLINIC_NAME, "domain": settings.SITE_URL.split("://")[-1]}


def confirmation_email_context(
    *, confirmation: Confirmation, order_values: dict | None = None
) -> dict:
    """Return the context of a confirmation's staff-editable templates: plain values only.

    `order_values` are the order's, as `order_email_values` gave them for another
    confirmation of the same order sent by the same task: read once for both.
    """
    order = confirmation.order
    context = {
        "order": order_values if order_values is not None else order_email_values(order=order),
        "site": email_site_values(),
        "refund_amount": confirmation.amount,
        "refund_reference": confirmation.reference,
        # What tells apart confirmations of one kind: a refund's id, a package credit's code.
        "reference": confirmation.reference,
    }
    if confirmation.kind == Confirmation.Kind.REFUND:
        context["refunded_in_all"] = order_refunded_as_of(
            order=order, reference=confirmation.reference
        )
    return context


def order_refunded_as_of(*, order, reference: str) -> Decimal:
    """Return how much of the order had been refunded once the refund `reference` was made.

    A refund email can leave after a later refund (retries, the sweep): it tells
    the total of its own time. An unknown reference gives today's total.
    """
    refunds = order.payment_events.filter(event_type__code="refunded")
    this = refunds.filter(reference=reference).order_by("pk").first() if reference else None
    if this is not None:
        refunds = refunds.filter(pk__lte=this.pk)
    return sum((event.amount for event in refunds), start=Decimal("0.00"))


def confirmation_for_sending(*, confirmation_id: int) -> Confirmation:
    """Return a confirmation locked for sending, with what its email reads of its order.

    Locks the confirmation's row alone (FOR UPDATE locks every joined row): the order's
    other emails, staff edits and refunds do not wait for this email. The order comes
    with its address, account and payment sources, which the email context reads.
    """
    return (
        Confirmation.objects.select_for_update(of=("self",))
        .select_related("order__shipping_address__country", "order__user")
        .prefetch_related(
            Prefetch("order__sources", queryset=Source.objects.select_related("source_type"))
        )
        .get(pk=confirmation_id)
    )


def order_recipient(*, order) -> str:
    """Return the patient's email address for an order (account or guest)."""
    if order.user_id and order.user.email:
        return order.user.email
    return order.guest_email or ""


def order_confirmations(*, order) -> list[Confirmation]:
    """Return the confirmations of an order, oldest first (for its dashboard page)."""
    return list(Confirmation.objects.filter(order=order).order_by("created_at", "pk"))


def _due(queryset: QuerySet, *, older_than: datetime.timedelta) -> QuerySet:
    cutoff = timezone.now() - older_than
    return queryset.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=cutoff),
        status="pending",
        created_at__lte=cutoff,
        updated_at__lte=cutoff,
    ).order_by("created_at", "pk")


def confirmations_due(*, older_than: datetime.timedelta) -> QuerySet:
    """Return confirmations still pending `older_than` after they were recorded, last enqueued
    and last attempted.

    One being retried (its backoff gaps stay shorter than the sweep's wait) is left to its
    retries; failed ones are left to staff: they show on the order's dashboard page.
    """
    return _due(Confirmation.objects.all(), older_than=older_than)


def outbox_emails_due(*, older_than: datetime.timedelta) -> QuerySet:
    """Return the outbox's other emails still pending, as `confirmations_due` does."""
    return _due(OutboxEmail.objects.all(), older_than=older_than)


def preview_email_context(*, order=None, user=None) -> dict:
    """Return the context of a staff preview of an email template: plain values only."""
    context = {"site": email_site_values()}
    if user is not None:
        context["user"] = {"get_full_name": user.get_full_name(), "email": user.email}
    if order is not None:
        context["order"] = order_email_values(order=order)
        context["refunded_in_all"] = order_refunded_as_of(order=order, reference="")
    return context


def confirmations_failed() -> QuerySet:
    """Return the confirmations the worker gave up on, newest first, with their orders."""
    return (
        Confirmation.objects.filter(status=Confirmation.Status.FAILED)
        .select_related("order")
        .order_by("-updated_at", "-pk")
    )


def outbox_emails_failed() -> QuerySet:
    """Return the other emails the worker gave up on, newest first (never their bodies)."""
    return (
        OutboxEmail.objects.filter(status=OutboxEmail.Status.FAILED)
        .defer("message")
        .order_by("-updated_at", "-pk")
    )
