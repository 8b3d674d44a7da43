"""Reads of the catalogue, shaped so that a page runs a fixed number of queries."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet
from oscar.core.loading import get_model

from shop.core.money import CENT

Category = get_model("catalogue", "Category")
Condition = get_model("content", "Condition")
Product = get_model("catalogue", "Product")
Range = get_model("offer", "Range")
StockRecord = get_model("partner", "StockRecord")

# The product classes and the featured range the catalogue is made of (load_catalogue).
TREATMENT_CLASS = "treatment-package"
PRODUCT_CLASS = "wellness-product"
FEATURED_RANGE = "featured-treatments"


def products_listable(queryset: QuerySet | None = None) -> QuerySet:
    """Return browsable products with everything a product card needs prefetched.

    A card shows the image, the price (for a parent, its cheapest public child)
    and the availability: with these prefetches a page of cards runs the same
    number of queries whatever the number of products.
    """
    queryset = queryset if queryset is not None else Product.objects.all()
    public_children = (
        Product.objects.filter(is_public=True)
        .select_related("product_class")
        .prefetch_related("stockrecords", "attribute_values__attribute")
    )
    return (
        queryset.browsable()
        .base_queryset()
        .prefetch_related(
            Prefetch("children", queryset=public_children, to_attr="_prefetched_public_children"),
            "categories",
            "attribute_values__attribute",  # the Chinese name on cards
            Prefetch("conditions", queryset=Condition.objects.published()),
        )
        .select_related("product_class")
    )


def products_as_cards(products: list) -> list:
    """Return these products (same order) loaded as `products_listable` loads a page's cards.

    For cards rendered from products loaded elsewhere (Oscar's recently viewed products):
    one fixed set of queries for all of them instead of a few per card.
    """
    if not products:
        return []
    listed = products_listable().in_bulk([product.pk for product in products])
    return [listed[product.pk] for product in products if product.pk in listed]


def categories_top() -> list:
    """Return the public top-level categories ("Treatments", "Wellness products")."""
    return list(Category.objects.get_root_nodes().filter(is_public=True))


def products_featured(*, limit: int = 8) -> list:
    """Return the products of the "Featured treatments" range, for the home page."""
    featured = Range.objects.filter(slug=FEATURED_RANGE).first()
    if featured is None:
        return []
    return list(products_listable(featured.all_products()).order_by("title")[:limit])


@dataclass(frozen=True)
class TreatmentVariant:
    """One buyable package of a treatment: its sessions, price and saving."""

    product: object
    sessions: int
    session_minutes: int | None
    validity_days: int | None
    price: Decimal
    currency: str
    per_session: Decimal
    saving_per_session: Decimal
    saving_percent: int
    available: bool


def treatment_variants(*, product, strategy) -> list[TreatmentVariant]:
    """Return the packages of a treatment, fewest sessions first, with per-session savings.

    The saving of a package is measured against the price of its single session.
    """
    children = (
        product.children.filter(is_public=True)
        .prefetch_related("stockrecords", "attribute_values__attribute")
        .select_related("parent__product_class")
    )
    rows = []
    for child in children:
        values = {v.attribute.code: v.value for v in child.attribute_values.all()}
        info = strategy.fetch_for_product(child)
        if not info.price.exists:
            continue
        sessions = int(values.get("sessions") or 1)
        price = info.price.incl_tax
        rows.append(
            (
                child,
                sessions,
                values.get("session_minutes"),
                values.get("validity_days"),
                price,
                info.price.currency,
                info.availability.is_available_to_buy,
            )
        )
    rows.sort(key=lambda row: row[1])
    single = next((row[4] / row[1] for row in rows if row[1] == 1), None)
    variants = []
    for child, sessions, minutes, validity, price, currency, available in rows:
        per_session = (price / sessions).quantize(CENT, rounding=ROUND_HALF_UP)
        saving = (single - per_session).quantize(CENT) if single else Decimal("0.00")
        saving = max(saving, Decimal("0.00"))
        percent = int((saving / single * 100).to_integral_value()) if single else 0
        variants.append(
            TreatmentVariant(
                product=child,
                sessions=sessions,
                session_minutes=minutes,
                validity_days=validity,
                price=price,
                currency=currency,
                per_session=per_session,
                saving_per_session=saving,
                saving_percent=percent,
                available=available,
            )
        )
    return variants
