"""Writes to the catalogue: loading the clinic's catalogue from catalogue_fixtures/.

`LoadReport` and `drawn_image` serve every loader of the fixtures (catalogue, content).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from oscar.core.loading import get_model

from shop.catalogue.images import illustration_render
from shop.catalogue.selectors import FEATURED_RANGE, PRODUCT_CLASS, TREATMENT_CLASS

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Range = get_model("offer", "Range")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

FIXTURES_DIR = Path(settings.BASE_DIR) / "catalogue_fixtures"
CATALOGUE_FILE = FIXTURES_DIR / "catalogue.yaml"

PARTNER_NAME = "Liang Yi TCM"

CHINESE_NAME = ("chinese_name", "Chinese name", ProductAttribute.TEXT)
TREATMENT_ATTRIBUTES = [
    # (code, name, type)
    ("sessions", "Sessions", ProductAttribute.INTEGER),
    ("session_minutes", "Minutes per session", ProductAttribute.INTEGER),
    ("validity_days", "Valid for (days)", ProductAttribute.INTEGER),
    CHINESE_NAME,
]
WELLNESS_ATTRIBUTES = [CHINESE_NAME]


@dataclass
class LoadReport:
    """What a load of the fixtures created: counts by kind ("products", "images"...)."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def __str__(self) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in sorted(self.created.items())) or "nothing"


def drawn_image(*, slug: str, motif: str = "") -> ContentFile:
    """Return the shop's drawn illustration for a slug, as a file named after it."""
    return ContentFile(illustration_render(seed=slug, motif=motif), name=f"{slug}.png")


def catalogue_read(*, path: Path = CATALOGUE_FILE) -> dict:
    """Return the clinic's catalogue data from its YAML file."""
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _product_classes(report: LoadReport) -> tuple[object, object]:
    classes = []
    for slug, defaults, attributes in (
        (
            TREATMENT_CLASS,
            {"name": "Treatment package", "requires_shipping": False, "track_stock": False},
            TREATMENT_ATTRIBUTES,
        ),
        (
            PRODUCT_CLASS,
            {"name": "Wellness product", "requires_shipping": True, "track_stock": True},
            WELLNESS_ATTRIBUTES,
        ),
    ):
        product_class, created = ProductClass.objects.get_or_create(slug=slug, defaults=defaults)
        if created:
            report.add("product classes")
        for code, name, type_ in attributes:
            _, created = ProductAttribute.objects.get_or_create(
                product_class=product_class, code=code, defaults={"name": name, "type": type_}
            )
            if created:
                report.add("attributes")
        classes.append(product_class)
    return classes[0], classes[1]


def _category(item: dict, *, siblings, add, report: LoadReport):
    """Return the category of a fixture item among its siblings, made with `add` if missing."""
    category = siblings.filter(slug=item["slug"]).first()
    if category is None:
        fields = {"name": item["name"], "slug": item["slug"]}
        category = add(**fields, description=item.get("description", ""))
        report.add("categories")
    return category


def _categories(data: list[dict], report: LoadReport) -> dict[str, object]:
    by_slug = {}
    for root_data in data:
        root = _category(
            root_data,
            siblings=Category.objects.get_root_nodes(),
            add=lambda **fields: Category.objects.add_root(create_kwargs=fields),
            report=report,
        )
        by_slug[root.slug] = root
        for child_data in root_data.get("children") or []:
            child = _category(
                child_data,
                siblings=Category.objects.get_children(root),
                add=lambda parent=root, **fields: Category.objects.add_child(
                    parent, create_kwargs=fields
                ),
                report=report,
            )
            by_slug[child.slug] = child
    return by_slug


def _image(product, *, caption: str, motif: str, report: LoadReport) -> None:
    if product.images.exists():  # staff may have replaced it: keep theirs
        return
    drawn = drawn_image(slug=product.slug, motif=motif)
    image = ProductImage(product=product, caption=caption, display_order=0)
    image.original.save(drawn.name, drawn, save=False)
    image.save()
    report.add("images")


def _stockrecord(product, partner, *, sku: str, price: str, stock, refresh, report) -> None:
    record = StockRecord.objects.filter(partner=partner, partner_sku=sku).first()
    if record is None:
        StockRecord.objects.create(
            product=product,
            partner=partner,
            partner_sku=sku,
            price_currency=settings.OSCAR_DEFAULT_CURRENCY,
            price=Decimal(price),
            num_in_stock=stock,
        )
        report.add("stock records")
    elif refresh:
        record.price = Decimal(price)
        record.save(update_fields=["price"])


def _product(*, upc: str, report: LoadReport, refresh: bool, **fields):
    product = Product.objects.filter(upc=upc).first()
    if product is None:
        product = Product.objects.create(upc=upc, **fields)
        report.add("products")
    elif refresh:
        for name, value in fields.items():
            setattr(product, name, value)
        product.save()
    return product


def _browsable(
    item: dict, *, upc, structure, product_class, categories, featured, refresh, report
):
    """Create (or refresh) a product patients browse: a treatment or a wellness product."""
    product = _product(
        upc=upc,
        report=report,
        refresh=refresh,
        structure=structure,
        product_class=product_class,
        title=item["title"],
        slug=item["slug"],
        description=item["description"].strip(),
        meta_description=item["summary"].strip(),
        is_discountable=True,
    )
    values = {"chinese_name": item.get("chinese_name", "")}
    if "session_minutes" in item:
        values["session_minutes"] = item["session_minutes"]
    for code, value in values.items():
        # Staff may have changed these since: only a missing value is filled in.
        if refresh or getattr(product.attr, code, None) in (None, ""):
            setattr(product.attr, code, value)
    product.attr.save()
    for category in categories:
        ProductCategory.objects.get_or_create(product=product, category=category)
    _image(product, caption=item["title"], motif=item.get("image_motif", ""), report=report)
    if item.get("featured"):
        featured.add_product(product)
    return product


def session_label(sessions: int) -> str:
    """Return "1 session" or "5 sessions"."""
    return f"{sessions} session" if sessions == 1 else f"{sessions} sessions"


@transaction.atomic
def catalogue_load(*, data: dict | None = None, refresh: bool = False) -> LoadReport:
    """Load the clinic's catalogue, creating only what is missing.

    Running it again changes nothing that staff edited since; with
    `refresh=True` titles, texts and prices are set from the data again.
    """
    data = data if data is not None else catalogue_read()
    report = LoadReport()
    treatment_class, wellness_class = _product_classes(report)
    categories = _categories(data["categories"], report)
    partner, created = Partner.objects.get_or_create(name=PARTNER_NAME)
    if created:
        report.add("partners")
    featured, created = Range.objects.get_or_create(
        slug=FEATURED_RANGE,
        defaults={"name": "Featured treatments", "is_public": True},
    )
    if created:
        report.add("ranges")
    opts = {"refresh": refresh, "report": report}

    for item in data["treatments"]:
        parent = _browsable(
            item,
            upc=item["sku_prefix"],
            structure=Product.PARENT,
            product_class=treatment_class,
            categories=[categories[item["category"]], categories["treatments"]],
            featured=featured,
            **opts,
        )
        for variant in item["variants"]:
            sessions = int(variant["sessions"])
            sku = f"{item['sku_prefix']}-{sessions}"
            child = _product(
                upc=sku,
                report=report,
                refresh=refresh,
                structure=Product.CHILD,
                parent=parent,
                product_class=None,
                title=f"{item['title']}, {session_label(sessions)}",
                slug=slugify(f"{item['slug']}-{session_label(sessions)}"),
            )
            child.attr.sessions = sessions
            child.attr.session_minutes = item["session_minutes"]
            child.attr.validity_days = int(variant["validity_days"])
            child.attr.save()
            _stockrecord(child, partner, sku=sku, price=variant["price"], stock=None, **opts)

    for item in data["products"]:
        product = _browsable(
            item,
            upc=item["sku"],
            structure=Product.STANDALONE,
            product_class=wellness_class,
            categories=[categories[item["category"]]],
            featured=featured,
            **opts,
        )
        _stockrecord(
            product,
            partner,
            sku=item["sku"],
            price=item["price"],
            stock=int(item["stock"]),
            **opts,
        )
    return report
