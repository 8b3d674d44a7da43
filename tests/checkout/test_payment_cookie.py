"""The payment cookie: the next visit looks for a payment left half-way only when one can be.

The payment page and every answer of `pay` name the checkout's basket in a small signed
cookie; without it the basket page runs no query for interrupted payments.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop.checkout.recovery import PAYMENT_COOKIE
from shop.payments.models import PaymentIntent
from tests.checkout.outages import pay_during_an_outage

Basket = get_model("basket", "Basket")


def _basket_page_sql(client) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("basket:summary"))
    return page, [query["sql"] for query in queries.captured_queries]


def _touches_payments(sql: list[str]) -> bool:
    table = PaymentIntent._meta.db_table
    return any(table in statement for statement in sql)


def test_a_shopper_with_no_payment_started_runs_no_payment_query_on_the_basket_page(shopper):
    shopper.add("TUI-5")
    shopper.client.get(reverse("basket:summary"))

    page, sql = _basket_page_sql(shopper.client)

    assert page.status_code == 200
    assert page.context["basket"].num_items == 1
    assert PAYMENT_COOKIE not in shopper.client.cookies
    assert not _touches_payments(sql)


def test_a_payment_page_left_unpaid_is_looked_at_once_then_the_basket_page_is_free(shopper):
    shopper.add("TUI-5")
    shopper.as_guest()
    payment_page = shopper.client.get(reverse("checkout:payment-details"))
    assert payment_page.status_code == 200
    cookie = payment_page.cookies[PAYMENT_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 24 * 60 * 60

    first, _ = _basket_page_sql(shopper.client)  # nothing in flight: the cookie goes
    assert first.cookies[PAYMENT_COOKIE]["max-age"] == 0
    page, sql = _basket_page_sql(shopper.client)

    assert page.context["basket"].num_items == 1
    assert not _touches_payments(sql)


def test_after_a_503_during_pay_the_next_basket_page_gives_the_basket_back(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest()
    # The outage lasts: the session is not saved, so only the 503's cookie names the basket.
    answer = pay_during_an_outage(shopper, localstripe, lasting=True)
    assert answer.status_code == 503
    assert PAYMENT_COOKIE in answer.cookies
    assert Basket.objects.get().status == Basket.FROZEN

    page = shopper.client.get(reverse("basket:summary"), follow=True)

    assert page.context["basket"].num_items == 1
    assert "Your basket is back" in page.content.decode()
    assert Basket.objects.get().status == Basket.OPEN
    assert shopper.client.cookies[PAYMENT_COOKIE].value == ""  # settled: the cookie is gone
    again, sql = _basket_page_sql(shopper.client)
    assert again.context["basket"].num_items == 1
    assert not _touches_payments(sql)


def test_a_forged_or_someone_elses_payment_cookie_changes_nothing(shopper, localstripe, patient):
    shopper.add("TUI-5")
    shopper.as_guest()
    assert pay_during_an_outage(shopper, localstripe).status_code == 503
    stolen = shopper.client.cookies[PAYMENT_COOKIE].value
    basket = Basket.objects.get()

    forger = Client()
    forger.cookies[PAYMENT_COOKIE] = f"{basket.pk}:forged"
    _, sql = _basket_page_sql(forger)
    assert not _touches_payments(sql)

    other = Client()
    other.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
    other.cookies[PAYMENT_COOKIE] = stolen
    page = other.get(reverse("basket:summary"), follow=True)

    assert "Your basket is back" not in page.content.decode()
    assert Basket.objects.get(pk=basket.pk).status == Basket.FROZEN
