"""The catalogue's pages run a number of SQL queries that does not grow with the products.

Stock Oscar 4.2.1 runs about six queries per listed product; measured here with
the clinic's own catalogue (15 products, 10 of them wellness products) and with
60 products, when a page shows more cards.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from haystack import connections
from oscar.core.loading import get_model
from oscar.test.factories import create_product

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")

pytestmark = pytest.mark.django_db

LISTING_BUDGET = 20
PRODUCT_PAGE_BUDGET = 30


@pytest.fixture
def add_products(catalogue):
    """Add wellness products to the catalogue (and the search index); remove them after."""
    added = []
    wellness = ProductClass.objects.get(slug="wellness-product")
    category = Category.objects.get(slug="wellness-products")

    def add(count: int) -> None:
        for _ in range(count):
            n = len(added)
            product = create_product(
                title=f"Herbal sachet no. {n}",
                product_class=wellness,
                price=Decimal("9.90"),
                num_in_stock=10,
                upc=f"WP-TEST-{n}",
            )
            ProductCategory.objects.create(product=product, category=category)
            product.save()  # indexed again with its stock record and category
            added.append(product)

    yield add
    index = connections["default"].get_unified_index().get_index(Product)
    for product in added:
        index.remove_object(product)


def _count_queries(client, url: str) -> int:
    client.get(url)  # warm caches that a busy shop has warm (thumbnails, site)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def _listed(client, url: str) -> int:
    return client.get(url).content.decode().count('class="product_pod"')


@pytest.mark.parametrize(
    "url",
    [
        reverse("catalogue:index"),
        "wellness-products",
    ],
)
def test_listing_queries_do_not_grow_with_the_products(client, add_products, url):
    if not url.startswith("/"):
        url = Category.objects.get(slug=url).get_absolute_url()
    few = _count_queries(client, url)
    shown_few = _listed(client, url)

    add_products(60 - Product.objects.browsable().count())
    many = _count_queries(client, url)
    shown_many = _listed(client, url)

    assert shown_many > shown_few  # more cards on the page ...
    assert many == few  # ... for the same queries
    assert many <= LISTING_BUDGET


def test_product_page_queries_do_not_grow_with_the_products(client, add_products):
    url = Product.objects.get(upc="TUI").get_absolute_url()
    few = _count_queries(client, url)

    add_products(50)
    many = _count_queries(client, url)

    assert many == few
    assert many <= PRODUCT_PAGE_BUDGET
