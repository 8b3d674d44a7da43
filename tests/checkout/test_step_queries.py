"""The delivery address and payment pages, viewed again, load no basket.

The address page shows the address form and book, never the basket; both pages show the
content kept when they were last rendered, while the basket, the catalogue, the checkout
session (and the address book) are unchanged. Each test counts the queries of a
repeated view (within a ceiling the basket, its lines, stock, vouchers and offers would
break: eight more), then changes what the page shows and checks that the next view
shows the change.
"""

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from shop.checkout.recovery import PAYMENT_COOKIE
from shop.core.pagecache import TOKEN_SLOT
from tests.checkout.conftest import Shopper

Line = get_model("basket", "Line")
UserAddress = get_model("address", "UserAddress")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

ADDRESS = reverse("checkout:shipping-address")
PAYMENT = reverse("checkout:payment-details")
# A signed-in patient: their session and user, the request's savepoint and its release,
# and the address book (the kept form and book are shown while it is unchanged). The
# menu's Dashboard link asks no permission of a patient (shop/core/menu.py).
ADDRESS_QUERIES = 5
# The same without the address book, with the look for a payment left half-way (one
# query: the payment page's cookie names the basket).
PAYMENT_QUERIES = 5


@pytest.fixture
def walked(singapore, catalogue, patient) -> Shopper:
    """A signed-in patient with two wellness products, a delivery address and method."""
    client = Client()
    client.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
    shopper = Shopper(client)
    shopper.add("WP-MOXA", 2)
    client.get(reverse("checkout:index"))
    assert shopper.ship_to_singapore(line1="2 Orchard Turn").status_code == 302
    shopper.choose_shipping("flat-rate")
    return shopper


def _again(client: Client, path: str, assert_queries, budget: int):
    """View a page twice and return the second answer, counted."""
    first = client.get(path)
    assert first.status_code == 200
    with assert_queries(budget):
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_address_page_loads_no_basket(walked, django_assert_max_num_queries):
    html = _again(walked.client, ADDRESS, django_assert_max_num_queries, ADDRESS_QUERIES)

    assert 'name="line1"' in html and 'value="2 Orchard Turn"' in html
    assert "Delivery address" in html  # the steps' nav, from the kept record


def test_the_address_page_follows_the_address_book(walked, patient, django_assert_max_num_queries):
    client = walked.client
    _again(client, ADDRESS, django_assert_max_num_queries, ADDRESS_QUERIES)

    UserAddress.objects.create(
        user=patient, first_name="Tan Mei Ling", line1="1 Raffles Place", line4="Singapore",
        postcode="048616", country_id="SG",
    )  # fmt: skip

    html = client.get(ADDRESS).content.decode()
    assert "1 Raffles Place" in html and 'name="address_id"' in html


def test_the_payment_page_shown_again_is_the_one_rendered(walked, django_assert_max_num_queries):
    client = walked.client
    rendered = client.get(PAYMENT).content.decode()

    html = _again(client, PAYMENT, django_assert_max_num_queries, PAYMENT_QUERIES)

    assert PAYMENT_COOKIE in client.cookies
    for shown in ("Pay S$45.80", 'data-amount="4580"', "2 Orchard Turn", "Standard delivery"):
        assert shown in rendered and shown in html
    assert TOKEN_SLOT not in html  # the pay form has this visitor's token
    assert html.count('name="csrfmiddlewaretoken"') == rendered.count('name="csrfmiddlewaretoken"')


def test_the_payment_page_follows_a_changed_basket(walked, django_assert_max_num_queries):
    client = walked.client
    _again(client, PAYMENT, django_assert_max_num_queries, PAYMENT_QUERIES)

    line = Line.objects.get(basket__owner__email="patient@example.com")
    line.quantity = 1
    line.save()  # another tab

    html = client.get(PAYMENT).content.decode()
    assert "Pay S$26.90" in html and 'data-amount="2690"' in html


def test_the_payment_page_follows_a_changed_price(walked, django_assert_max_num_queries):
    client = walked.client
    _again(client, PAYMENT, django_assert_max_num_queries, PAYMENT_QUERIES)

    record = StockRecord.objects.get(partner_sku="WP-MOXA")
    record.price += 1
    record.save()

    assert "Pay S$47.80" in client.get(PAYMENT).content.decode()


def test_the_payment_page_follows_a_changed_address(walked, django_assert_max_num_queries):
    client = walked.client
    _again(client, PAYMENT, django_assert_max_num_queries, PAYMENT_QUERIES)

    assert walked.ship_to_singapore(line1="1 Raffles Place").status_code == 302
    walked.choose_shipping("flat-rate")

    html = client.get(PAYMENT).content.decode()
    assert "1 Raffles Place" in html and "2 Orchard Turn" not in html


@pytest.mark.parametrize("path", [ADDRESS, PAYMENT])
def test_the_frame_of_a_page_viewed_again_shows_the_patients_own_parts(
    walked, path, django_assert_max_num_queries
):
    """The header and footer are kept fragments and the menu's Dashboard link is kept per
    user (no query): the basket count and the sign-out form are still the patient's own."""
    budget = {ADDRESS: ADDRESS_QUERIES, PAYMENT: PAYMENT_QUERIES}[path]
    html = _again(walked.client, path, django_assert_max_num_queries, budget)

    assert 'class="site-basket__count">2<' in html  # the header's own basket count
    assert 'id="logout_form"' in html and ">Dashboard</a>" not in html
