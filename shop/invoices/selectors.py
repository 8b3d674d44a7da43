"""Reads of the tax documents: what an invoice prints, and who may download which document."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from oscar.core.loading import get_model

from shop.catalogue.selectors import TREATMENT_CLASS
from shop.core.money import gst_rate
from shop.core.selectors import CLINIC_TZ
from shop.invoices.models import Document, DocumentKind
from shop.invoices.numbers import order_document_numbers  # noqa: F401  (the exports read it)

Order = get_model("order", "Order")
OrderDiscount = get_model("order", "OrderDiscount")
PaymentEvent = get_model("order", "PaymentEvent")

ZERO = Decimal("0.00")


def money(value: Decimal | None) -> str:
    """Return an amount as the snapshot keeps it: a plain string with two decimals."""
    return format(Decimal(value or 0).quantize(Decimal("0.01")), "f")


def local_date(moment: datetime.datetime) -> datetime.date:
    """Return the Singapore date of an instant."""
    return timezone.localtime(moment, CLINIC_TZ).date()


def clinic_snapshot(*, registered: bool) -> dict:
    """Return the clinic's details as a document prints them now."""
    return {
        "name": settings.CLINIC_NAME,
        "address": settings.CLINIC_ADDRESS,
        "phone": settings.CLINIC_PHONE,
        "email": settings.CLINIC_EMAIL,
        "gst_reg_no": settings.SHOP_GST_REG_NO if registered else "",
    }


def _address_lines(address) -> list[str]:
    if address is None:
        return []
    fields = [address.line1, address.line2, address.line3, address.line4, address.state]
    lines = [str(value).strip() for value in fields if value and str(value).strip()]
    country = getattr(address, "country", None)
    country_name = country.printable_name if country else ""
    if country_name in lines:  # "Singapore" is both the city line and the country
        country_name = ""
    tail = " ".join(part for part in (country_name, address.postcode) if part)
    return lines + ([tail] if tail else [])


def order_customer(*, order) -> dict:
    """Return the customer as the invoice names them: account, billing, shipping, or guest."""
    billing, shipping = order.billing_address, order.shipping_address
    user = order.user
    name = (user.get_full_name() if user else "") or ""
    for address in (billing, shipping):
        if not name and address is not None:
            name = address.name
    email = order.email or ""
    return {
        "name": name or email,
        "email": email,
        "address": _address_lines(billing) or _address_lines(shipping),
    }


def _line_details(line, *, placed_on: datetime.date) -> tuple[str, list[str]]:
    """Return the description of an order line and its details (sessions, valid until)."""
    product = line.product
    if product is None:
        return line.title, []
    values = {v.attribute.code: v.value for v in product.attribute_values.all()}
    if product.parent_id:
        for value in product.parent.attribute_values.all():
            values.setdefault(value.attribute.code, value.value)
    title = line.title
    if values.get("chinese_name"):
        title = f"{title} ({values['chinese_name']})"
    product_class = product.get_product_class()
    if not (product_class and product_class.slug == TREATMENT_CLASS):
        return title, []
    details = []
    if values.get("sessions"):
        minutes = values.get("session_minutes")
        each = f" of {minutes} minutes" if minutes else ""
        details.append(f"Treatment package: {values['sessions']} sessions{each}")
    if values.get("validity_days"):
        until = placed_on + datetime.timedelta(days=int(values["validity_days"]))
        details.append(f"Valid until {until:%d %b %Y}")
    return title, details


def order_payment_reference(*, order) -> str:
    """Return the reference of the order's payment (the Stripe PaymentIntent id), or ""."""
    references = [ref for ref in order.sources.values_list("reference", flat=True) if ref]
    return "; ".join(references)


def order_invoice_lines(*, order) -> list[dict]:
    """Return the invoice lines of an order, as the per-line export allocates them.

    Goods lines carry the amounts after discounts (each with the discount taken off
    it); delivery, when charged, is a line of its own.
    """
    # Here, not at the top: the export's selectors read the document numbers from this module.
    from shop.invoices.allocation import LineRecord, OrderRecord, order_line_rows

    lines = list(
        order.lines.select_related(
            "product__product_class", "product__parent__product_class"
        ).prefetch_related(
            "product__attribute_values__attribute",
            "product__parent__attribute_values__attribute",
        )
    )
    record = OrderRecord(
        id=order.id,
        number=order.number,
        placed_at=order.date_placed,
        status=order.status,
        currency=order.currency,
        total_incl_tax=order.total_incl_tax,
        total_excl_tax=order.total_excl_tax,
        shipping_incl_tax=order.shipping_incl_tax,
        shipping_excl_tax=order.shipping_excl_tax,
        customer_name="",
        email="",
        lines=[
            LineRecord(
                line.partner_sku,
                line.title,
                line.quantity,
                line.unit_price_incl_tax,
                line.line_price_incl_tax,
                line.line_price_excl_tax,
                line.product_id,
            )
            for line in lines
        ],
    )
    placed_on = local_date(order.date_placed)
    shipping_discount = sum(
        (d.amount for d in order.discounts.all() if d.category == OrderDiscount.SHIPPING), ZERO
    )
    result = []
    for index, row in enumerate(order_line_rows(order=record)):
        _, sku, title, item_type, _, quantity, unit_incl, incl, gst, excl = row
        if index < len(lines):
            line = lines[index]
            description, details = _line_details(line, placed_on=placed_on)
            discount = line.line_price_before_discounts_incl_tax - line.line_price_incl_tax
        else:
            description, details = order.shipping_method or "Delivery", []
            discount = shipping_discount
        result.append(
            {
                "kind": "delivery" if index >= len(lines) else "item",
                "sku": sku,
                "description": description,
                "details": details,
                "quantity": quantity,
                "unit_price_incl_gst": money(unit_incl),
                "discount": money(discount),
                "excl_gst": money(excl),
                "gst": money(gst),
                "incl_gst": money(incl),
            }
        )
    return result


def order_discounts(*, order) -> list[dict]:
    """Return the offers and vouchers that lowered the order (names and amounts incl. GST)."""
    return [
        {"name": d.offer_name or d.voucher_code or "Discount", "amount": money(d.amount)}
        for d in order.discounts.all()
        if d.amount
    ]


def order_invoice_snapshot(*, order, number: str, issued_at: datetime.datetime) -> dict:
    """Return everything the order's tax invoice (or receipt) prints, as plain JSON values."""
    registered = bool(settings.SHOP_GST_REGISTERED)
    gst = order.total_incl_tax - order.total_excl_tax if registered else ZERO
    return {
        "kind": DocumentKind.INVOICE,
        "title": "Tax Invoice" if registered else "Receipt",
        "gst_registered": registered,
        "gst_rate": format(gst_rate(), "f") if registered else "0",
        "number": number,
        "date": local_date(issued_at).isoformat(),
        "currency": order.currency,
        "clinic": clinic_snapshot(registered=registered),
        "customer": order_customer(order=order),
        "order": {"number": order.number, "date": local_date(order.date_placed).isoformat()},
        "payment_reference": order_payment_reference(order=order),
        "lines": order_invoice_lines(order=order),
        "discounts": order_discounts(order=order),
        "totals": {
            "excl_gst": money(order.total_incl_tax - gst),
            "gst": money(gst),
            "incl_gst": money(order.total_incl_tax),
        },
    }


def order_invoice(*, order) -> Document | None:
    """Return the order's tax invoice, or None when it has none yet."""
    return Document.objects.filter(order=order, kind=DocumentKind.INVOICE).first()


def refund_credit_note(*, order, reference: str) -> Document | None:
    """Return the credit note of one refund (by its reference) of the order, or None."""
    return Document.objects.filter(
        order=order, kind=DocumentKind.CREDIT_NOTE, refund_reference=reference
    ).first()


def order_documents(*, order) -> QuerySet:
    """Return the order's documents, the invoice first, then its credit notes in order."""
    return Document.objects.filter(order=order).order_by("issued_at", "id")


def orders_without_invoice() -> QuerySet:
    """Return the paid orders that have no invoice, in the order they were placed."""
    return (
        Order.objects.filter(payment_events__event_type__name="Settled")
        .exclude(documents__kind=DocumentKind.INVOICE)
        .distinct()
        .order_by("date_placed", "id")
    )


def refunds_without_credit_note() -> list[tuple]:
    """Return (order, amount, reference) of refunds without a credit note, oldest first."""
    credited = set(
        Document.objects.filter(kind=DocumentKind.CREDIT_NOTE).values_list(
            "order_id", "refund_reference"
        )
    )
    events = (
        PaymentEvent.objects.filter(event_type__name="Refunded")
        .select_related("order")
        .order_by("date_created", "id")
    )
    return [
        (event.order, event.amount, event.reference)
        for event in events
        if (event.order_id, event.reference) not in credited
    ]


def user_may_read_all_documents(*, user) -> bool:
    """Return whether the user (clinic staff, accountants, superusers) reads every order's."""
    return bool(user and user.is_authenticated and user.has_perm("order.view_order"))


def document_readable_by(*, document: Document, user) -> bool:
    """Return whether a signed-in user may download the document: their own, or staff's."""
    if user.is_authenticated and document.order.user_id == user.pk:
        return True
    return user_may_read_all_documents(user=user)
