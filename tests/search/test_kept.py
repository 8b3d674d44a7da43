"""A repeated search is answered from what was kept, and never shows a stale product."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from haystack.backends import whoosh_backend
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


@pytest.fixture
def whoosh_searches(monkeypatch):
    """Count the searches sent to Whoosh."""
    calls = []
    original = whoosh_backend.WhooshSearchBackend.search

    def search(self, query_string, **kwargs):
        calls.append(query_string)
        return original(self, query_string, **kwargs)

    monkeypatch.setattr(whoosh_backend.WhooshSearchBackend, "search", search)
    return calls


def _search(client, q: str) -> str:
    response = client.get(reverse("search:search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def _shopper() -> Client:
    client = Client()
    moxa = Product.objects.get(upc="WP-MOXA")
    client.post(reverse("basket:add", kwargs={"pk": moxa.pk}), {"quantity": 1})
    return client


def test_a_first_search_asks_whoosh_once_for_products_and_once_for_content(
    client, catalogue, whoosh_searches
):
    page = _search(client, "cupping")
    assert Product.objects.get(upc="YQG").get_absolute_url() in page
    assert len(whoosh_searches) == 2  # the page with its count; the conditions and articles


def test_a_repeated_search_runs_no_whoosh_search_and_no_query(
    catalogue, whoosh_searches, django_assert_max_num_queries
):
    client = _shopper()
    first = _search(client, "cupping")
    whoosh_searches.clear()
    with django_assert_max_num_queries(2):  # the request's savepoint and its release
        again = _search(client, "cupping")
    assert whoosh_searches == []
    url = Product.objects.get(upc="YQG").get_absolute_url()
    assert url in first and url in again
    assert again.count("<article") == first.count("<article") > 0


def test_a_renamed_product_shows_in_a_kept_search_at_once(client, catalogue, whoosh_searches):
    product = Product.objects.get(upc="WP-GUAS")
    original = product.title
    assert "Jade Scraping Stone" not in _search(client, "stone")  # kept: the old title
    assert _search(client, "jade").count(product.get_absolute_url()) == 0
    product.title = "Jade Scraping Stone"
    product.save()  # what the dashboard's product form does
    try:
        renamed = _search(client, "stone")
        found = _search(client, "jade")
    finally:
        product.title = original
        product.save()  # the index is not rolled back with the test's transaction
    assert "Jade Scraping Stone" in renamed
    assert product.get_absolute_url() in found and "Jade Scraping Stone" in found


def test_a_price_change_shows_in_a_kept_search_at_once(client, catalogue):
    product = Product.objects.get(upc="WP-GUAS")
    _search(client, "gua sha")
    record = product.stockrecords.get()
    record.price = record.price + Decimal("7.00")
    record.save()
    assert f"{record.price:,.2f}" in _search(client, "gua sha")
