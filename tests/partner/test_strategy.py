from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from shop.partner.strategy import Singapore

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def test_a_price_includes_gst_and_shows_its_gst_part(catalogue):
    record = Product.objects.get(upc="WP-MOXA").stockrecords.get()
    record.price = Decimal("88.88")
    record.save()

    info = Singapore().fetch_for_product(Product.objects.get(upc="WP-MOXA"))

    assert info.price.currency == "SGD"
    assert info.price.incl_tax == Decimal("88.88")
    assert info.price.tax == Decimal("7.34")
    assert info.price.excl_tax == Decimal("81.54")


def test_a_treatment_shows_its_cheapest_package_as_from_price(catalogue):
    parent = Product.objects.get(upc="TUI")
    cheapest = min(child.stockrecords.get().price for child in parent.children.all())

    info = Singapore().fetch_for_parent(parent)

    assert info.price.incl_tax == cheapest


def test_treatment_packages_need_no_stock(catalogue):
    package = Product.objects.get(upc="TUI-10")

    info = Singapore().fetch_for_product(package)

    assert info.availability.is_available_to_buy
    assert package.get_product_class().requires_shipping is False


def test_not_gst_registered_prices_carry_no_gst(catalogue, settings, client):
    settings.SHOP_GST_REGISTERED = False

    info = Singapore().fetch_for_product(Product.objects.get(upc="WP-MOXA"))
    page = client.get(Product.objects.get(upc="WP-MOXA").get_absolute_url())

    assert info.price.tax == Decimal("0.00")
    assert info.price.incl_tax == info.price.excl_tax
    assert "GST not charged" in page.content.decode()
