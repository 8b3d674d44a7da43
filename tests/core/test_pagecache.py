"""The page cache: visitors without a basket or login get the public pages from Redis.

What a visitor would notice: an edit shows on the next view, nobody sees another's
basket or token, and a cached page is the page the shop renders, byte for byte but
for the per-visitor parts.
"""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Condition = get_model("content", "Condition")

pytestmark = pytest.mark.django_db


def _pages() -> list[str]:
    treatment = Product.objects.get(upc="TUI")
    condition = Condition.objects.published().first()
    return ["/", "/catalogue/", treatment.get_absolute_url(), condition.get_absolute_url()]


def _strip_visitor_parts(html: bytes) -> bytes:
    """Blank the CSRF tokens (per visitor), the CSP nonces (per response) and Oscar's
    "created" minute stamp (per render)."""
    html = re.sub(rb'(name="csrfmiddlewaretoken" value=")[^"]*"( data-csrf)?', rb'\1"', html)
    html = re.sub(rb'nonce="[^"]*"', b'nonce=""', html)
    return re.sub(rb'<meta name="created" content="[^"]*" />', b"", html)


def test_a_repeated_view_is_served_from_the_cache_without_queries(
    catalogue, django_assert_max_num_queries
):
    for url in _pages():
        first = Client().get(url)
        assert first.status_code == 200
        assert first["X-Page-Cache"] == "miss"
        with django_assert_max_num_queries(0):
            again = Client().get(url)
        assert again["X-Page-Cache"] == "hit"
        assert _strip_visitor_parts(again.content) == _strip_visitor_parts(first.content)
        # The history is the same for every new visitor; the CSRF cookie is this visitor's own.
        assert set(again.cookies) <= {"oscar_history", "csrftoken"}


def test_a_product_edit_shows_on_the_next_anonymous_view(catalogue):
    product = Product.objects.get(upc="WP-MOXA")
    url = product.get_absolute_url()
    Client().get(url)
    Client().get("/catalogue/")

    product.title = "Moxa rolls, renewed"
    product.save()
    record = product.stockrecords.get()
    record.price = Decimal("12.34")
    record.save()

    page = Client().get(url).content.decode()
    assert "Moxa rolls, renewed" in page
    assert "12.34" in page
    assert "Moxa rolls, renewed" in Client().get("/catalogue/").content.decode()


def test_a_condition_edit_shows_on_its_next_view(catalogue):
    condition = Condition.objects.published().first()
    Client().get(condition.get_absolute_url())
    condition.name = "Stiff shoulders in winter"
    condition.save()
    assert (
        "Stiff shoulders in winter" in Client().get(condition.get_absolute_url()).content.decode()
    )


def _basket_count(html: str) -> str:
    return re.search(r'site-basket__count">(\d+)', html).group(1)


def test_a_visitor_never_sees_another_visitors_basket(catalogue):
    product = Product.objects.get(upc="WP-MOXA")
    url = product.get_absolute_url()
    shopper, passer_by = Client(), Client()
    shopper.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})

    mine = shopper.get(url)
    assert "X-Page-Cache" not in mine  # a basket cookie: rendered for this shopper alone
    assert _basket_count(mine.content.decode()) == "2"

    for _ in range(2):  # the miss that fills the cache, then the hit
        theirs = passer_by.get(url)
        assert _basket_count(theirs.content.decode()) == "0"
        assert "sessionid" not in theirs.cookies and "oscar_open_basket" not in theirs.cookies
    assert _basket_count(shopper.get(url).content.decode()) == "2"


def test_a_cached_page_equals_an_uncached_render_but_for_per_visitor_parts(catalogue, settings):
    for url in _pages():
        Client().get(url)
        cached = Client().get(url)
        assert cached["X-Page-Cache"] == "hit"
        settings.PAGECACHE_ENABLED = False
        fresh = Client().get(url)
        settings.PAGECACHE_ENABLED = True
        assert "X-Page-Cache" not in fresh
        assert _strip_visitor_parts(cached.content) == _strip_visitor_parts(fresh.content)


def test_logged_in_staff_queries_and_post_bypass_the_cache(catalogue, clinic_staff):
    url = Product.objects.get(upc="TUI").get_absolute_url()
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"

    staff = Client()
    staff.force_login(clinic_staff)
    assert "X-Page-Cache" not in staff.get(url)
    assert "X-Page-Cache" not in Client().get(url + "?preview=1")
    assert "X-Page-Cache" not in Client().get("/catalogue/?sort_by=price")
    assert Client().get("/catalogue/?page=1")["X-Page-Cache"] in ("hit", "miss")
    assert "X-Page-Cache" not in Client().get(reverse("basket:summary"))


def test_each_visitor_of_a_cached_page_gets_their_own_working_token(catalogue):
    """The kept page has blank tokens; each response carries its visitor's own."""
    product = Product.objects.get(upc="WP-MOXA")
    Client().get(product.get_absolute_url())
    tokens = []
    for _ in range(2):
        browser = Client(enforce_csrf_checks=True)
        page = browser.get(product.get_absolute_url())
        assert page["X-Page-Cache"] == "hit"
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)" data-csrf', page.content)
        tokens.append(token.group(1).decode())
        added = browser.post(
            reverse("basket:add", kwargs={"pk": product.pk}),
            {"quantity": 1, "csrfmiddlewaretoken": tokens[-1]},
        )
        assert added.status_code == 302
        assert browser.get(reverse("visitor-state")).json()["basket_count"] == 1
    assert tokens[0] != tokens[1]


def _script_nonces(html: bytes) -> set[str]:
    return {n.decode() for n in re.findall(rb'<script[^>]* nonce="([^"]+)"', html)}


def _header_nonce(response) -> str:
    script_src = re.search(r"script-src ([^;]*)", response["Content-Security-Policy"]).group(1)
    return re.search(r"'nonce-([^']+)'", script_src).group(1)


def test_each_response_of_a_cached_page_runs_its_script_under_its_own_nonce(catalogue):
    """The browser runs Oscar's start-up script only if its nonce is the header's."""
    nonces = []
    for expected in ("miss", "hit", "hit"):
        page = Client().get("/catalogue/")
        assert page["X-Page-Cache"] == expected
        assert _script_nonces(page.content) == {_header_nonce(page)}
        assert b"data-csp-nonce" not in page.content
        nonces.append(_header_nonce(page))
    assert len(set(nonces)) == 3  # never the nonce of another response
