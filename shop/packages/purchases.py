"""Writes that make credits: one per package unit of a placed order; guests' credits claimed.

Credits are made inside the transaction that places the order (a receiver of
Oscar's `order_placed`), so an order and its credits commit together whether
the browser's return or Stripe's webhook placed it.
"""

import logging
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop.core.selectors import CLINIC_TZ
from shop.packages.models import CODE_ALPHABET, CODE_LENGTH, CreditEvent, PackageCredit
from shop.payments.selectors import checkout_for_order_number

logger = logging.getLogger(__name__)

ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

TREATMENT_CLASS = "treatment-package"
PACKAGE_ATTRIBUTES = ("sessions", "session_minutes", "validity_days")
SYSTEM = "system"
CODE_ATTEMPTS = 20


def code_new() -> str:
    """Return a random credit code of unambiguous characters (not checked for uniqueness)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _product_class_slug(product) -> str:
    product_class = product.product_class or (product.parent and product.parent.product_class)
    return product_class.slug if product_class else ""


def _package_values(product) -> dict:
    """Return the product's package attributes (a child's own values win over its parent's)."""
    ids = [product.pk] + ([product.parent_id] if product.parent_id else [])
    rows = ProductAttributeValue.objects.filter(
        product_id__in=ids, attribute__code__in=PACKAGE_ATTRIBUTES
    ).values_list("product_id", "attribute__code", "value_integer")
    values: dict = {}
    for _product_id, code, value in sorted(rows, key=lambda row: row[0] == product.pk):
        if value is not None:
            values[code] = value
    return values


def _cents_split(*, total_cents: int, parts: int) -> list[int]:
    """Share `total_cents` into `parts` shares differing by at most a cent, the larger first."""
    base, extra = divmod(total_cents, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def _patient(order) -> tuple[str, str, str]:
    """Return the patient's email, name and phone as the order knows them.

    The name and phone given at the checkout (kept with its PaymentIntent) come first.
    """
    email = order.email or ""
    checkout = checkout_for_order_number(order_number=order.number)
    name = str(checkout.get("patient_name") or "")
    phone = str(checkout.get("patient_phone") or "")
    if order.user_id and not name:
        name = order.user.get_full_name()
    for address in (order.shipping_address, order.billing_address):
        if address is not None:
            name = name or address.name
            phone = phone or str(getattr(address, "phone_number", "") or "")
    return email, name, phone


def _credit_insert(*, fields: dict) -> PackageCredit:
    """Insert a credit under a fresh code, retrying on a code collision.

    A credit for the same line and unit made meanwhile is returned as it is.
    """
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return PackageCredit.objects.create(code=code_new(), **fields)
        except IntegrityError:
            existing = PackageCredit.objects.filter(
                line=fields["line"], unit_index=fields["unit_index"]
            ).first()
            if existing is not None:
                return existing
            logger.info("Credit code collision; trying another code")
    raise IntegrityError("no free credit code found")


def credits_create_for_order(*, order) -> list[PackageCredit]:
    """Make one credit per unit of each treatment package line of `order` (idempotent).

    Sessions, minutes and validity are copied from the product; each credit's
    share of the line total (after discounts) and its per-session prices add
    up to the line total to the cent.
    """
    credits: list[PackageCredit] = []
    lines = order.lines.select_related(
        "product__product_class", "product__parent__product_class"
    ).order_by("pk")
    email, name, phone = "", "", ""
    paid_day = timezone.localtime(order.date_placed, CLINIC_TZ).date()
    for line in lines:
        product = line.product
        if product is None or _product_class_slug(product) != TREATMENT_CLASS:
            continue
        existing = {credit.unit_index: credit for credit in line.credits.all()}
        if len(existing) >= line.quantity:
            credits.extend(existing.values())
            continue
        if not email:
            email, name, phone = _patient(order)
        values = _package_values(product)
        sessions = int(values.get("sessions") or 1)
        validity = int(values.get("validity_days") or settings.PACKAGE_DEFAULT_VALIDITY_DAYS)
        shares = _cents_split(
            total_cents=int(Decimal(line.line_price_incl_tax).scaleb(2)), parts=line.quantity
        )
        for unit_index, cents in enumerate(shares):
            if unit_index in existing:
                credits.append(existing[unit_index])
                continue
            credit = _credit_insert(
                fields={
                    "order": order,
                    "line": line,
                    "unit_index": unit_index,
                    "product": product,
                    "user_id": order.user_id,
                    "email": email,
                    "name": name,
                    "phone": phone,
                    "title": line.title,
                    "sku": line.partner_sku or "",
                    "sessions_bought": sessions,
                    "session_minutes": values.get("session_minutes"),
                    "validity_days": validity,
                    "amount_paid": Decimal(cents).scaleb(-2),
                    "session_price": Decimal(cents // sessions).scaleb(-2),
                    "purchased_at": order.date_placed,
                    "valid_until": paid_day + timedelta(days=validity),
                }
            )
            if not credit.events.exists():
                CreditEvent.objects.create(
                    credit=credit,
                    kind=CreditEvent.Kind.PURCHASED,
                    created_at=order.date_placed,
                    by_name=SYSTEM,
                    note=f"Order {order.number}",
                    sessions=sessions,
                    amount=credit.amount_paid,
                )
            credits.append(credit)
    return credits


def credits_attach_to_user(*, user, email: str) -> int:
    """Attach the guest credits bought with `email` to `user`; return how many.

    Call only once `user` has shown they own `email` (a signed link sent to it).
    """
    now = timezone.now()
    with transaction.atomic():
        credits = list(
            PackageCredit.objects.select_for_update().filter(
                user__isnull=True, email__iexact=email
            )
        )
        for credit in credits:
            credit.user = user
            credit.save(update_fields=["user", "updated_at"])
            CreditEvent.objects.create(
                credit=credit,
                kind=CreditEvent.Kind.ATTACHED,
                created_at=now,
                by=user,
                by_name=user.get_full_name() or user.email,
                note=f"Email {email} confirmed",
            )
    return len(credits)
