from decimal import Decimal

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from shop.catalogue.services import catalogue_read

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {
        "products": Product.objects.count(),
        "classes": ProductClass.objects.count(),
        "categories": Category.objects.count(),
        "stockrecords": StockRecord.objects.count(),
        "images": ProductImage.objects.count(),
    }


def test_the_catalogue_holds_the_clinics_treatments_and_products(catalogue):
    data = catalogue_read()
    treatments = Product.objects.filter(
        product_class__slug="treatment-package", structure="parent"
    )
    wellness = Product.objects.filter(product_class__slug="wellness-product")

    assert treatments.count() == len(data["treatments"]) == 5
    assert wellness.count() == len(data["products"]) >= 6
    for parent in treatments:
        sessions = sorted(child.attr.sessions for child in parent.children.all())
        assert sessions == [1, 5, 10], parent.title
    assert all(p.stockrecords.get().num_in_stock > 0 for p in wellness)
    assert ProductImage.objects.count() == treatments.count() + wellness.count()


def test_product_classes_are_set_up_for_services_and_goods(catalogue):
    treatment = ProductClass.objects.get(slug="treatment-package")
    wellness = ProductClass.objects.get(slug="wellness-product")

    assert (treatment.requires_shipping, treatment.track_stock) == (False, False)
    assert (wellness.requires_shipping, wellness.track_stock) == (True, True)
    assert {a.code for a in treatment.attributes.all()} >= {
        "sessions",
        "session_minutes",
        "validity_days",
    }


def test_the_categories_are_treatments_by_kind_and_wellness_products(catalogue):
    treatments = Category.objects.get(slug="treatments", depth=1)

    assert Category.objects.filter(slug="wellness-products", depth=1).exists()
    assert Category.objects.get_children(treatments).count() == 5


def test_loading_twice_gives_the_same_counts(catalogue):
    before = _counts()

    call_command("load_catalogue", "--no-index", verbosity=0)

    assert _counts() == before


def test_loading_again_keeps_staff_edits_and_refresh_restores_the_fixtures(catalogue):
    record = StockRecord.objects.get(partner_sku="TUI-5")
    original = record.price
    record.price = Decimal("1.23")
    record.save()

    call_command("load_catalogue", "--no-index", verbosity=0)
    assert StockRecord.objects.get(partner_sku="TUI-5").price == Decimal("1.23")

    call_command("load_catalogue", "--no-index", "--refresh", verbosity=0)
    assert StockRecord.objects.get(partner_sku="TUI-5").price == original
