"""The basket page applies its offers once, and shows what Oscar's page showed."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import ConditionalOfferFactory, RangeFactory

from shop.core.basket_summary import basket_summary_bump
from tests.factories import site_discount_create

Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Product = get_model("catalogue", "Product")
Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db

# A basket page rendered (after a change: a repeated view of an unchanged basket answers from
# its kept content, tests/basket/test_kept_page.py) with one line: the basket, its vouchers,
# the site's offers, the lines with their options, images, stock records and attribute
# values, and the request's savepoint and release (Oscar's page ran 14: the offers and
# vouchers twice, a line's stock record twice, its product class and its values one by one).
# The interrupted-payment check before the view (shop/checkout/recovery.py) runs none: no
# payment cookie, no payment in flight.
BASKET_PAGE_QUERIES = 11


def _shopper(quantity: int = 1) -> tuple[Client, Product]:
    client = Client()
    moxa = Product.objects.get(upc="WP-MOXA")
    client.post(reverse("basket:add", kwargs={"pk": moxa.pk}), {"quantity": quantity})
    return client, moxa


def _percent_off(*, percent: int, items: int, offer_type=ConditionalOffer.SITE, name="Offer"):
    everything = RangeFactory(includes_all_products=True, name="all our products")
    return ConditionalOfferFactory(
        name=name,
        offer_type=offer_type,
        benefit__type=Benefit.PERCENTAGE,
        benefit__value=percent,
        benefit__range=everything,
        condition__type=Condition.COUNT,
        condition__value=items,
        condition__range=everything,
    )


def _voucher(code: str, *, percent: int = 20) -> Voucher:
    voucher = Voucher.objects.create(
        name=f"Voucher {code}",
        code=code,
        usage=Voucher.MULTI_USE,
        start_datetime=timezone.now() - timedelta(days=1),
        end_datetime=timezone.now() + timedelta(days=30),
    )
    voucher.offers.add(
        _percent_off(percent=percent, items=1, offer_type=ConditionalOffer.VOUCHER, name=code)
    )
    return voucher


def test_the_basket_page_runs_few_queries(catalogue, django_assert_max_num_queries):
    client, _ = _shopper()
    basket = client.get(reverse("basket:summary")).context["basket"]
    basket_summary_bump(basket_ids=[basket.pk])  # as any change of the basket: rendered again
    with django_assert_max_num_queries(BASKET_PAGE_QUERIES):
        response = client.get(reverse("basket:summary"))
    assert response.status_code == 200


def test_with_a_voucher_the_basket_page_adds_only_the_queries_of_its_offer(
    catalogue, django_assert_max_num_queries
):
    client, _ = _shopper()
    _voucher("SPRING20")
    client.post(reverse("basket:vouchers-add"), {"code": "SPRING20"})
    basket = client.get(reverse("basket:summary")).context["basket"]
    basket_summary_bump(basket_ids=[basket.pk])
    # The vouchers' offers (one prefetch), then Oscar's checks of the offer's ranges (Oscar's
    # page read the vouchers and their offers twice, and ran the checks as many times).
    with django_assert_max_num_queries(BASKET_PAGE_QUERIES + 13):
        response = client.get(reverse("basket:summary"))
    assert "SPRING20" in response.content.decode()


def test_an_offer_partly_met_shows_its_upsell_message(catalogue):
    client, _ = _shopper()
    _percent_off(percent=15, items=3, name="Three for less")
    page = client.get(reverse("basket:summary")).content.decode()
    assert "Three for less" in page
    assert "Buy 2 more products from all our products" in page


def test_an_offer_met_gives_its_discount_and_no_upsell_message(catalogue):
    client, moxa = _shopper(quantity=3)
    _percent_off(percent=15, items=3, name="Three for less")
    response = client.get(reverse("basket:summary"))
    page = response.content.decode()
    assert "Buy" not in re.sub(r"<[^>]+>", " ", page).split("missing out")[-1][:200]
    basket = response.context["basket"]
    price = moxa.stockrecords.get().price
    assert basket.total_incl_tax == (price * 3 * Decimal("0.85")).quantize(Decimal("0.01"))
    assert response.context["upsell_messages"] == []


def test_a_voucher_added_and_removed_changes_the_total(catalogue):
    client, moxa = _shopper()
    price = moxa.stockrecords.get().price
    voucher = _voucher("SPRING20", percent=20)
    client.post(reverse("basket:vouchers-add"), {"code": "SPRING20"})
    with_voucher = client.get(reverse("basket:summary"))
    assert with_voucher.context["basket"].total_incl_tax == price * Decimal("0.80")
    assert "SPRING20" in with_voucher.content.decode()
    client.post(reverse("basket:vouchers-remove", kwargs={"pk": voucher.pk}))
    without = client.get(reverse("basket:summary"))
    assert without.context["basket"].total_incl_tax == price
    assert without.context["basket"].vouchers.count() == 0


def test_a_quantity_update_shows_the_new_total_and_the_header_follows(catalogue):
    client, moxa = _shopper()
    site_discount_create(percent=10)
    page = client.get(reverse("basket:summary"))
    formset = page.context["formset"]
    line = formset.forms[0].instance
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": "4",
    }
    client.post(reverse("basket:summary"), data)
    after = client.get(reverse("basket:summary"))
    price = moxa.stockrecords.get().price
    assert after.context["basket"].num_items == 4
    assert after.context["basket"].total_incl_tax == (price * 4 * Decimal("0.90")).quantize(
        Decimal("0.01")
    )
    header = re.search(r'site-basket__count">(\d+)', after.content.decode()).group(1)
    assert header == "4"


def test_a_patient_saves_a_line_for_later_and_sees_it_listed(catalogue, patient):
    client = Client()
    client.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
    moxa = Product.objects.get(upc="WP-MOXA")
    client.post(reverse("basket:add", kwargs={"pk": moxa.pk}), {"quantity": 1})
    line = client.get(reverse("basket:summary")).context["formset"].forms[0].instance
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": "1",
        "form-0-save_for_later": "on",
    }
    client.post(reverse("basket:summary"), data)
    page = client.get(reverse("basket:summary"))
    assert page.context["basket"].num_items == 0
    assert "saved_formset" in page.context
    assert moxa.title in page.content.decode()
