"""Shoppers with a basket (uncached pages): lean listings, search, fragments and thumbnails."""

import re
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model
from sorl.thumbnail.models import KVStore as ThumbnailRecord

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")

pytestmark = pytest.mark.django_db

LISTING_BUDGET = 28  # count, page, prefetches, sidebar categories, the basket and its offers
SEARCH_BUDGET = 30
TREATMENT_BUDGET = 30


def _shopper() -> Client:
    shopper = Client()
    moxa = Product.objects.get(upc="WP-MOXA")
    shopper.post(reverse("basket:add", kwargs={"pk": moxa.pk}), {"quantity": 1})
    return shopper


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)


def test_a_shoppers_listing_is_read_from_the_database_in_fixed_queries(
    catalogue, django_assert_max_num_queries
):
    shopper = _shopper()
    shopper.get("/catalogue/")
    with django_assert_max_num_queries(LISTING_BUDGET):
        page = shopper.get("/catalogue/")
    assert "X-Page-Cache" not in page
    listed = _titles(page.content.decode())
    expected = list(
        Product.objects.browsable().order_by("date_created", "pk").values_list("title", flat=True)
    )
    assert [t.replace("&amp;", "&") for t in listed] == expected
    assert 'site-basket__count">1' in page.content.decode()

    newest = shopper.get("/catalogue/?sort_by=newest").content.decode()
    assert _titles(newest) == listed[::-1]


def test_a_category_lists_only_its_products(catalogue):
    category = get_model("catalogue", "Category").objects.get(slug="wellness-products")
    page = _shopper().get(category.get_absolute_url())
    expected = set(
        Product.objects.browsable().filter(categories=category).values_list("title", flat=True)
    )
    assert {t.replace("&amp;", "&") for t in _titles(page.content.decode())} == expected


def _product_loads(captured) -> list[str]:
    return [
        q["sql"] for q in captured
        if q["sql"].startswith('SELECT "catalogue_product"."id"')
        and '"catalogue_product"."id" IN' in q["sql"]
    ]  # fmt: skip


def test_the_search_page_loads_its_products_once_and_a_repeated_search_not_at_all(
    catalogue, django_assert_max_num_queries
):
    shopper = _shopper()
    with CaptureQueriesContext(connection) as first:
        page = shopper.get("/search/?q=knee")
    assert page.status_code == 200 and "Knee" in page.content.decode()
    assert len(_product_loads(first)) == 1

    with CaptureQueriesContext(connection) as captured:
        page = shopper.get("/search/?q=knee")
    assert page.status_code == 200
    assert len(captured) <= SEARCH_BUDGET
    assert _product_loads(captured) == []  # the cards are kept; the results too
    assert "Knee" in page.content.decode()


def test_a_treatment_page_keeps_its_packages_but_each_shopper_gets_their_own_token(
    catalogue, django_assert_max_num_queries
):
    url = Product.objects.get(upc="TUI").get_absolute_url()
    first, second = _shopper(), _shopper()
    first.get(url)
    with django_assert_max_num_queries(TREATMENT_BUDGET):
        page = second.get(url)
    html = page.content.decode()
    assert "Choose your package" in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 2
    secret = second.cookies["csrftoken"].value
    assert all(_unmask_cipher_token(token) == secret for token in tokens if len(token) == 64)
    assert secret != first.cookies["csrftoken"].value


def test_a_price_change_shows_in_the_kept_packages(catalogue):
    parent = Product.objects.get(upc="TUI")
    shopper = _shopper()
    shopper.get(parent.get_absolute_url())
    record = Product.objects.get(upc="TUI-10").stockrecords.get()
    record.price = record.price + 1
    record.save()
    assert f"{record.price:,.2f}" in shopper.get(parent.get_absolute_url()).content.decode()


def test_thumbnails_are_made_when_an_image_is_saved_not_on_a_page_view(catalogue):
    from shop.catalogue.services import drawn_image

    call_command("load_catalogue", "--no-index", verbosity=0)  # makes any missing thumbnail
    before = ThumbnailRecord.objects.count()
    moxa = Product.objects.get(upc="WP-MOXA")
    image = ProductImage(product=moxa, display_order=9)
    # A name of its own: the thumbnail store (Redis) outlives earlier runs' rolled-back rows.
    name = f"thumbnail-test-{uuid.uuid4().hex}.png"
    image.original.save(name, drawn_image(slug="thumbnail-test"), save=True)
    made = ThumbnailRecord.objects.count()
    assert made >= before + 3  # the source, and the card, content card and basket sizes

    _shopper().get("/catalogue/")
    _shopper().get(moxa.get_absolute_url())
    assert ThumbnailRecord.objects.count() == made
