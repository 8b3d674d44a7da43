"""Seed the shop for `make bench`: the clinic's catalogue, then wellness products up to N.

    python tests/bench/seed_bench.py 100      (prints the pages' URLs as JSON, last line)

The added products are copies of a wellness product (its class, category, image and a
stock record), so each card and page costs what a real one does.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")


def main() -> None:
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    ProductImage = get_model("catalogue", "ProductImage")
    StockRecord = get_model("partner", "StockRecord")
    Condition = get_model("content", "Condition")
    Article = get_model("content", "Article")

    target = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    call_command("load_catalogue", "--no-index", verbosity=0)
    model = Product.objects.get(upc="WP-MOXA")
    record = model.stockrecords.get()
    image = model.images.first()
    category = model.categories.first()
    n = 0
    while Product.objects.browsable().count() < target:
        n += 1
        copy = Product.objects.create(
            title=f"{model.title} no. {n}", product_class=model.product_class,
            structure=model.structure, description=model.description, is_public=True,
            upc=f"BENCH-{n}", slug=f"bench-{n}",
        )  # fmt: skip
        ProductCategory.objects.create(product=copy, category=category)
        StockRecord.objects.create(
            product=copy, partner=record.partner, partner_sku=f"BENCH-{n}",
            price=record.price + Decimal(n % 7), price_currency=record.price_currency,
            num_in_stock=100,
        )  # fmt: skip
        if image is not None:
            ProductImage.objects.create(
                product=copy, original=image.original.name, display_order=0
            )
    call_command("rebuild_index", interactive=False, verbosity=0)
    urls = {
        "treatment_url": Product.objects.get(upc="TUI").get_absolute_url(),
        "wellness_url": model.get_absolute_url(),
        "basket_pk": model.pk,
        "condition_url": Condition.objects.published().first().get_absolute_url(),
        "article_url": Article.objects.published().first().get_absolute_url(),
        "products": Product.objects.browsable().count(),
    }
    print(json.dumps(urls))


if __name__ == "__main__":
    main()
