"""The search index behind /catalogue/ and /search/ follows staff edits."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def test_search_finds_a_treatment_by_its_words(client, catalogue):
    page = client.get(reverse("search:search"), {"q": "cupping"}).content.decode()

    assert Product.objects.get(upc="YQG").get_absolute_url() in page


def test_a_renamed_product_is_found_by_its_new_name_at_once(client, catalogue, clinic_staff):
    product = Product.objects.get(upc="WP-GUAS")
    original = product.title
    product.title = "Jade Scraping Stone"
    product.save()  # what the dashboard's product form does
    try:
        page = client.get(reverse("search:search"), {"q": "jade"}).content.decode()
    finally:
        product.title = original
        product.save()  # the index is not rolled back with the test's transaction

    assert product.get_absolute_url() in page
    assert "Jade Scraping Stone" in page
