"""A repeated view of an unchanged basket answers from its kept content; any change shows at once.

Each test first sees the basket page answered from what was kept (no query but the
request's savepoint and its release, which only the tests' own transaction makes real),
then changes what the page shows and checks the next view shows the change.
"""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests.basket.test_basket_page import _percent_off, _voucher
from tests.checkout.conftest import shopper, singapore  # noqa: F401  (fixtures)

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

URL = "/basket/"
KEPT_QUERIES = 2  # the request's savepoint and its release
PATIENT_KEPT_QUERIES = 6  # and their session, user and the menu's permissions
AJAX = {"x-requested-with": "XMLHttpRequest"}  # as Oscar's basket.js posts the basket's form
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def _product(upc: str = "WP-MOXA") -> Product:
    return Product.objects.get(upc=upc)


def _other_product() -> Product:
    return (
        StockRecord.objects.filter(product__parent__isnull=True, num_in_stock__gt=0)
        .exclude(product__upc="WP-MOXA")
        .order_by("pk")[0]
        .product
    )


def _add(client: Client, product: Product, quantity: int = 1) -> None:
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def _shopper(product: Product | None = None, quantity: int = 1) -> Client:
    client = Client()
    _add(client, product or _product(), quantity)
    return client


def _patient(patient, product: Product | None = None) -> Client:
    client = Client()
    client.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
    _add(client, product or _product())
    return client


def _kept(client: Client, assert_queries, budget: int = KEPT_QUERIES) -> str:
    """View the basket twice and return the second page, answered from what was kept."""
    client.get(URL)
    with assert_queries(budget):
        response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _content(html: str) -> str:
    return html[html.index('<div id="content_inner">') : html.index("</main>")]


def _quantity(html: str) -> str:
    return re.search(r'name="form-0-quantity" value="(\d+)"', html).group(1)


def _order_total(html: str) -> str:
    return re.search(r"Order total</h3>.*?(S\$[\d,.]+)", html, re.S).group(1)


def _formset(client: Client, **fields: str) -> dict:
    line = Basket.objects.get(pk=client.get(URL).context["basket"].pk).all_lines()[0]
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": str(line.quantity),
    }
    return data | {f"form-0-{name}": value for name, value in fields.items()}


def test_a_repeated_view_shows_the_same_basket_without_a_query(
    catalogue, django_assert_max_num_queries
):
    client = _shopper(quantity=2)
    first = client.get(URL).content.decode()
    again = _kept(client, django_assert_max_num_queries)
    moxa = _product()
    assert TOKEN.sub("", _content(again)) == TOKEN.sub("", _content(first))
    assert moxa.title in again and _quantity(again) == "2"
    assert re.search(r'site-basket__count">2<', again)  # the header too


def test_a_quantity_change_shows_at_once(catalogue, django_assert_max_num_queries):
    client = _shopper()
    before = _kept(client, django_assert_max_num_queries)
    assert client.post(URL, _formset(client, quantity="3"), headers=AJAX).status_code == 200
    after = client.get(URL).content.decode()
    price = _product().stockrecords.get().price
    assert _quantity(after) == "3"
    assert f"S${price * 3 + Decimal('8.00'):,.2f}" == _order_total(after)  # under 80: delivery
    assert _order_total(after) != _order_total(before)


def test_a_removed_line_leaves_the_basket_empty_at_once(catalogue, django_assert_max_num_queries):
    client = _shopper()
    _kept(client, django_assert_max_num_queries)
    assert client.post(URL, _formset(client, DELETE="on"), headers=AJAX).status_code == 200
    after = client.get(URL).content.decode()
    assert "Your basket is empty" in after
    assert _product().title not in _content(after)


def test_a_voucher_added_and_removed_on_another_device_shows_at_once(
    catalogue, patient, django_assert_max_num_queries
):
    phone, laptop = _patient(patient), Client()
    laptop.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
    before = _kept(laptop, django_assert_max_num_queries, PATIENT_KEPT_QUERIES)
    voucher = _voucher("SPRING20", percent=20)
    phone.post(reverse("basket:vouchers-add"), {"code": "SPRING20"})
    with_voucher = _content(laptop.get(URL).content.decode())
    assert "SPRING20" in with_voucher
    assert _order_total(with_voucher) != _order_total(before)
    _kept(laptop, django_assert_max_num_queries, PATIENT_KEPT_QUERIES)
    phone.post(reverse("basket:vouchers-remove", kwargs={"pk": voucher.pk}))
    without = laptop.get(URL).content.decode()
    assert "SPRING20" not in _content(without)
    assert _order_total(without) == _order_total(before)


def test_a_price_and_a_stock_change_show_at_once(catalogue, django_assert_max_num_queries):
    client = _shopper()
    _kept(client, django_assert_max_num_queries)
    record = _product().stockrecords.get()
    record.price += Decimal("3.00")
    record.num_in_stock = 7
    record.save()
    after = _content(client.get(URL).content.decode())
    assert f"S${record.price:,.2f}" in after
    assert "7 available" in after


def test_a_new_offer_shows_its_upsell_message_at_once(catalogue, django_assert_max_num_queries):
    client = _shopper()
    assert "Three for less" not in _kept(client, django_assert_max_num_queries)
    _percent_off(percent=15, items=3, name="Three for less")
    assert "Buy 2 more products" in _content(client.get(URL).content.decode())


def test_a_patient_signing_in_with_a_cookie_basket_sees_the_two_merged(
    catalogue, patient, django_assert_max_num_queries
):
    own = _patient(patient)
    _kept(own, django_assert_max_num_queries, PATIENT_KEPT_QUERIES)
    guest = _shopper(_other_product())
    _kept(guest, django_assert_max_num_queries)
    guest.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
    merged = _content(guest.get(URL).content.decode())
    assert _product().title in merged and _other_product().title in merged
    again = _kept(own, django_assert_max_num_queries, PATIENT_KEPT_QUERIES)
    assert _other_product().title in _content(again)  # their other browser follows


def test_a_patients_saved_for_later_line_shows_at_once(
    catalogue, patient, django_assert_max_num_queries
):
    client = _patient(patient)
    assert "Items to buy later" not in _kept(
        client, django_assert_max_num_queries, PATIENT_KEPT_QUERIES
    )
    assert client.post(URL, _formset(client, save_for_later="on"), headers=AJAX).status_code == 200
    after = _content(client.get(URL).content.decode())
    assert "Items to buy later" in after and "Your basket is empty" in after


def test_a_message_after_a_post_shows_over_the_basket(catalogue, django_assert_max_num_queries):
    client = _shopper()
    _kept(client, django_assert_max_num_queries)
    client.post(reverse("basket:vouchers-add"), {"code": "NOSUCHCODE"})  # the basket unchanged
    page = client.get(URL).content.decode()
    assert "NOSUCHCODE" in page  # Oscar's message that no such voucher exists
    assert _product().title in _content(page)
    assert "NOSUCHCODE" not in _kept(client, django_assert_max_num_queries)  # shown once


def test_form_errors_show_after_the_bad_post_only(catalogue, django_assert_max_num_queries):
    client = _shopper()
    _kept(client, django_assert_max_num_queries)
    bad = client.post(URL, _formset(client, quantity="999"))
    assert bad.status_code == 200 and "error-block" in bad.content.decode()
    after = _kept(client, django_assert_max_num_queries)
    assert "error-block" not in after
    assert _quantity(after) == "1"


def test_each_visitor_gets_their_own_csrf_token_and_it_works(
    catalogue, django_assert_max_num_queries
):
    first = _shopper()
    first_page = _kept(first, django_assert_max_num_queries)
    second = Client(enforce_csrf_checks=True)  # the same basket in another browser
    second.cookies["oscar_open_basket"] = first.cookies["oscar_open_basket"].value
    with django_assert_max_num_queries(KEPT_QUERIES):
        second_page = second.get(URL).content.decode()
    tokens = set(TOKEN.findall(second_page))
    assert tokens and tokens.isdisjoint(TOKEN.findall(first_page))
    data = _formset(first, quantity="2") | {"csrfmiddlewaretoken": tokens.pop()}
    assert second.post(URL, data).status_code == 302  # accepted with the page's own token
    assert _quantity(second.get(URL).content.decode()) == "2"


def test_no_visitor_sees_anothers_basket(catalogue, patient, django_assert_max_num_queries):
    moxa, other = _product(), _other_product()
    guest, signed_in = _shopper(moxa), _patient(patient, other)
    _kept(guest, django_assert_max_num_queries)
    _kept(signed_in, django_assert_max_num_queries, PATIENT_KEPT_QUERIES)
    guest_page = _content(_kept(guest, django_assert_max_num_queries))
    patient_page = _content(_kept(signed_in, django_assert_max_num_queries, PATIENT_KEPT_QUERIES))
    assert moxa.title in guest_page and other.title not in guest_page
    assert other.title in patient_page and moxa.title not in patient_page
    assert "Your basket is empty" in Client().get(URL).content.decode()


def test_a_basket_frozen_by_a_payment_is_not_shown_on_the_patients_other_device(
    shopper,  # noqa: F811
    patient,
    localstripe,
    django_assert_max_num_queries,
):
    shopper.client.force_login(patient)
    shopper.add("TUI-5")
    other_device = Client()
    other_device.force_login(patient)
    package = StockRecord.objects.get(partner_sku="TUI-5").product.get_title()
    assert package in _kept(other_device, django_assert_max_num_queries, PATIENT_KEPT_QUERIES)
    shopper.client.get(reverse("checkout:index"))
    shopper.tell_patient()
    answer = shopper.pay(localstripe.card("4000002500003155"))  # 3-D Secure: frozen, waiting
    assert answer.json()["action"] == "authenticate"
    # That device has no payment cookie (nothing to settle there): Oscar's new, empty basket.
    page = other_device.get(URL).content.decode()
    assert "Your basket is empty" in page
    assert "Your basket is empty" in other_device.get(URL).content.decode()
