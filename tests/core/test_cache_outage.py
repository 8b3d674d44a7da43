"""Redis away: the shop's pages render from PostgreSQL instead of answering 500.

A real redis-server of this test is stopped under the shop's cache (the drill found
the home page, product pages and the checkout answering 500 while Redis was down).
"""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def _cache_on(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "shop.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }


def test_pages_render_while_redis_is_down_and_are_cached_again_when_it_is_back(
    catalogue, throwaway_redis
):
    treatment = Product.objects.get(upc="TUI")
    moxa = Product.objects.get(upc="WP-MOXA")
    with override_settings(CACHES=_cache_on(throwaway_redis.url)):
        throwaway_redis.stop()

        visitor = Client()
        for url in ("/", "/catalogue/", treatment.get_absolute_url()):
            page = visitor.get(url)
            assert page.status_code == 200, url
            assert treatment.title in page.content.decode(), url

        shopper = Client()
        added = shopper.post(reverse("basket:add", kwargs={"pk": moxa.pk}), {"quantity": 1})
        assert added.status_code == 302
        for url in (moxa.get_absolute_url(), reverse("basket:summary"), "/catalogue/"):
            page = shopper.get(url)
            assert page.status_code == 200, url
        basket = shopper.get(reverse("basket:summary")).content.decode()
        assert moxa.title in basket  # the basket itself lives in PostgreSQL

        throwaway_redis.start()
        assert Client().get("/")["X-Page-Cache"] == "miss"
        assert Client().get("/")["X-Page-Cache"] == "hit"


def test_a_read_is_a_miss_and_a_write_is_dropped_while_redis_is_down(throwaway_redis):
    with override_settings(CACHES=_cache_on(throwaway_redis.url)):
        cache.set("k", 1)
        assert cache.get("k") == 1
        throwaway_redis.stop()

        assert cache.get("k", "missing") == "missing"
        assert cache.get_many(["k"]) == {}
        assert cache.add("k", 2) is False
        cache.set("k", 3)  # dropped, no error
        with pytest.raises(ValueError):
            cache.incr("k")  # as for a missing key, which callers handle
