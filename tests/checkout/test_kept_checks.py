"""A repeated checkout page answers "basket not empty" and "basket valid" from its kept record.

Each test first sees a checkout page answered from the record (within a query ceiling
Oscar's own checks would break: they load the basket, its lines, stock, vouchers and
offers), then changes the basket, its stock or its product, and checks that the next
view redirects as Oscar's checks do, with Oscar's message. The pay view never reads a
record: its checks run on the basket in the database.
"""

import pytest
from django.conf import settings
from django.core.signing import Signer
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from shop.checkout.views import PayView
from tests.checkout.conftest import Shopper

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

GATEWAY = "/checkout/"
# A guest's repeated gateway: their session, the request's savepoint and its release
# (Oscar's checks load the basket: 11 and more).
GUEST_QUERIES = 3
# A signed-in patient's: their session and user, the savepoint and its release (the menu
# asks no permission of a patient).
PATIENT_QUERIES = 4
EMPTY = "You need to add some items to your basket to checkout"
UNAVAILABLE = "is no longer available to buy"


def _guest(sku: str = "WP-MOXA", quantity: int = 1) -> Client:
    client = Client()
    Shopper(client).add(sku, quantity)
    return client


def _patient(patient, sku: str = "WP-MOXA") -> Client:
    client = Client()
    client.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
    Shopper(client).add(sku)
    return client


def _kept(client: Client, assert_queries, path: str = GATEWAY, budget: int = GUEST_QUERIES):
    """View a checkout page twice and return the second answer, checked from the record."""
    client.get(path)
    with assert_queries(budget):
        response = client.get(path)
    return response


def _sent_back_to_basket(response, client: Client, message: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == reverse("basket:summary")
    page = client.get(response["Location"])
    assert message in page.content.decode()


def _basket_of(client: Client) -> Basket:
    """Return the guest's basket, the one their signed cookie names."""
    cookie = client.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value
    return Basket.objects.get(pk=int(Signer().unsign(cookie)))


def test_a_guests_repeated_gateway_loads_no_basket(catalogue, django_assert_max_num_queries):
    client = _guest("WP-MOXA")

    response = _kept(client, django_assert_max_num_queries)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Who are you?" in html and 'name="username"' in html
    assert "Delivery address" in html  # a product is delivered: the steps say so
    assert '<span class="site-basket__count">1<' in html


def test_a_treatments_gateway_shows_no_delivery_steps(catalogue, django_assert_max_num_queries):
    client = _guest("TUI-5")

    response = _kept(client, django_assert_max_num_queries)

    assert response.status_code == 200
    assert "Delivery address" not in response.content.decode()


def test_a_basket_emptied_on_another_tab_is_sent_back(catalogue, django_assert_max_num_queries):
    client = _guest()
    assert _kept(client, django_assert_max_num_queries).status_code == 200

    Line.objects.filter(basket=_basket_of(client)).get().delete()

    _sent_back_to_basket(client.get(GATEWAY), client, EMPTY)


def test_a_product_out_of_stock_is_sent_back(catalogue, django_assert_max_num_queries):
    client = _guest()
    assert _kept(client, django_assert_max_num_queries).status_code == 200

    record = StockRecord.objects.get(partner_sku="WP-MOXA")
    record.num_in_stock, record.num_allocated = 0, 0
    record.save()

    _sent_back_to_basket(client.get(GATEWAY), client, UNAVAILABLE)


def test_a_product_taken_off_the_shop_is_sent_back(catalogue, django_assert_max_num_queries):
    client = _guest()
    assert _kept(client, django_assert_max_num_queries).status_code == 200

    product = Product.objects.get(upc="WP-MOXA")
    product.is_public = False
    product.save()

    _sent_back_to_basket(client.get(GATEWAY), client, UNAVAILABLE)


def test_a_quantity_raised_beyond_the_stock_is_sent_back(catalogue, django_assert_max_num_queries):
    client = _guest()
    assert _kept(client, django_assert_max_num_queries).status_code == 200

    line = Line.objects.get(basket=_basket_of(client))
    line.quantity = StockRecord.objects.get(partner_sku="WP-MOXA").net_stock_level + 1
    line.save()

    _sent_back_to_basket(client.get(GATEWAY), client, UNAVAILABLE)


def test_stock_allocated_to_another_order_is_sent_back(catalogue, django_assert_max_num_queries):
    client = _guest()
    assert _kept(client, django_assert_max_num_queries).status_code == 200

    record = StockRecord.objects.get(partner_sku="WP-MOXA")
    record.allocate(record.net_stock_level)  # Oscar's allocation: an update(), no save

    _sent_back_to_basket(client.get(GATEWAY), client, UNAVAILABLE)


def test_a_basket_frozen_for_payment_never_passes_as_open(
    catalogue, django_assert_max_num_queries
):
    client = _guest()
    assert _kept(client, django_assert_max_num_queries).status_code == 200

    PayView().freeze_basket(_basket_of(client))

    # Oscar gives the cookie a new, empty basket: the frozen one is not checked out again.
    _sent_back_to_basket(client.get(GATEWAY), client, EMPTY)


def test_a_patients_repeated_checkout_goes_on_without_loading_the_basket(
    catalogue, patient, django_assert_max_num_queries
):
    client = _patient(patient, "WP-MOXA")

    response = _kept(client, django_assert_max_num_queries, budget=PATIENT_QUERIES)

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:shipping-address")


def test_a_patients_treatment_goes_to_their_details_first(
    catalogue, patient, django_assert_max_num_queries
):
    client = _patient(patient, "TUI-5")

    # The record says "a treatment"; the details are looked up in the account (one query).
    response = _kept(client, django_assert_max_num_queries, budget=PATIENT_QUERIES + 1)

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:patient-details")


def test_a_patients_basket_emptied_on_another_device_is_sent_back(
    catalogue, patient, django_assert_max_num_queries
):
    client = _patient(patient)
    _kept(client, django_assert_max_num_queries, budget=PATIENT_QUERIES)

    Line.objects.filter(basket__owner=patient).delete()

    _sent_back_to_basket(client.get(GATEWAY), client, EMPTY)


def test_the_patient_details_step_loads_no_basket(shopper, django_assert_max_num_queries):
    shopper.add("TUI-5")
    shopper.client.post(GATEWAY, {"username": "mei@example.com", "options": "anonymous"})
    url = reverse("checkout:patient-details")

    response = _kept(shopper.client, django_assert_max_num_queries, path=url)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="phone"' in html
    assert "Delivery address" not in html


def test_the_payment_page_shows_a_new_price_at_once(shopper, django_assert_max_num_queries):
    shopper.add("TUI-5")
    shopper.as_guest()
    assert _kept(shopper.client, django_assert_max_num_queries).status_code == 200
    assert shopper.shown_total() == 39800

    record = StockRecord.objects.get(partner_sku="TUI-5")
    record.price += 10
    record.save()

    assert shopper.shown_total() == 40800


def test_the_pay_view_checks_the_basket_in_the_database(shopper, django_assert_max_num_queries):
    """A stock change the record cannot see (an update with no signal) still stops a payment."""
    shopper.add("WP-MOXA")
    shopper.as_guest()
    _kept(shopper.client, django_assert_max_num_queries)
    StockRecord.objects.filter(partner_sku="WP-MOXA").update(num_in_stock=0, num_allocated=0)
    assert shopper.client.get(GATEWAY).status_code == 200  # the record still answers a GET

    response = shopper.client.post(reverse("checkout:pay"), {"payment_method": "pm_card_visa"})

    _sent_back_to_basket(response, shopper.client, UNAVAILABLE)
