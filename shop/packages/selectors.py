"""Reads of the package credits: a patient's own, an order's, the front desk's search."""

import re
from urllib.parse import urlparse

import segno
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from shop.packages.models import CODE_ALPHABET, CODE_LENGTH, CreditEvent, PackageCredit

SEARCH_LIMIT = 50
_CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def credit_dashboard_url(*, code: str) -> str:
    """Return the absolute URL of a credit's page in the dashboard (what its QR code holds)."""
    path = reverse("packages-dashboard:packages-credit-detail", kwargs={"code": code})
    return f"{settings.SITE_URL}{path}"


def credit_qr_svg(*, code: str) -> str:
    """Return the credit's QR code as inline SVG markup, made on the server."""
    return segno.make(credit_dashboard_url(code=code), error="m").svg_inline(
        scale=3, title=f"QR code of credit {code}", svgclass="credit-qr"
    )


def credit_qr_png_data_uri(*, code: str) -> str:
    """Return the credit's QR code as a PNG data URI (for emails, where SVG is not shown)."""
    return segno.make(credit_dashboard_url(code=code), error="m").png_data_uri(scale=3)


def _with_history(credits: QuerySet) -> QuerySet:
    events = CreditEvent.objects.select_related("undone_by").order_by("created_at", "pk")
    return credits.select_related("product__parent", "order").prefetch_related(
        Prefetch("events", queryset=events, to_attr="history")
    )


def credits_for_user(*, user) -> list[PackageCredit]:
    """Return the patient's credits, newest first, each with its history."""
    return list(_with_history(PackageCredit.objects.filter(user=user)))


def credit_for_user(*, user, code: str) -> PackageCredit | None:
    """Return the patient's own credit with this code, or None (someone else's included)."""
    return _with_history(PackageCredit.objects.filter(user=user, code=code)).first()


def credits_for_order(*, order) -> list[PackageCredit]:
    """Return the order's credits in line order."""
    return list(PackageCredit.objects.filter(order=order).order_by("line_id", "unit_index"))


def credit_redemptions(*, credit: PackageCredit) -> list[CreditEvent]:
    """Return the sessions used of a credit loaded with its history (undone ones marked)."""
    return [event for event in credit.history if event.kind == CreditEvent.Kind.REDEEMED]


def credit_for_staff(*, code: str) -> PackageCredit | None:
    """Return the credit with this code for the dashboard, with its history and who made it."""
    events = CreditEvent.objects.select_related("by", "undone_by").order_by("created_at", "pk")
    return (
        PackageCredit.objects.filter(code=code.upper())
        .select_related("order", "user", "product__parent")
        .prefetch_related(Prefetch("events", queryset=events, to_attr="history"))
        .first()
    )


def _search_code(query: str) -> str:
    """Return the credit code a typed code or a scanned QR URL names, or ""."""
    if "/" in query:
        parts = [part for part in urlparse(query).path.split("/") if part]
        query = parts[-1] if parts else ""
    code = re.sub(r"[\s-]", "", query).upper()
    return code if _CODE_RE.match(code) else ""


def credits_search(*, query: str) -> list[PackageCredit]:
    """Find credits by code, scanned QR URL, phone, email, name or order number."""
    query = query.strip()
    if not query:
        return []
    condition = Q(order__number=query)
    if code := _search_code(query):
        condition |= Q(code=code)
    if "@" in query:
        condition |= Q(email__iexact=query) | Q(user__email__iexact=query)
    digits = re.sub(r"\D", "", query)
    if len(digits) >= 8 and len(digits) >= len(query.replace(" ", "")) - 3:
        condition |= Q(phone__endswith=digits[-8:])
    if len(query) >= 2 and not digits:
        for word in query.split():
            condition |= (
                Q(name__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
    return list(
        PackageCredit.objects.filter(condition)
        .select_related("order", "user")
        .order_by("-purchased_at", "pk")[:SEARCH_LIMIT]
    )


def credits_needing_staff() -> list[PackageCredit]:
    """Return credits flagged for staff (a refund made at Stripe) or frozen (a dispute)."""
    return list(
        PackageCredit.objects.filter(Q(status=PackageCredit.Status.FROZEN) | ~Q(flagged_reason=""))
        .select_related("order", "user")
        .order_by("-updated_at")[:SEARCH_LIMIT]
    )


def guest_credits_count(*, email: str) -> int:
    """Return how many credits bought as a guest with `email` belong to no account yet."""
    return PackageCredit.objects.filter(user__isnull=True, email__iexact=email).count()
