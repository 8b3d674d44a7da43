"""A product page's view is counted in Redis, not by a query on the page, and the beat task
adds the counts to Oscar's analytics rows, each view once (shop/analytics/services.py)."""

import time

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop.analytics.tasks import product_views_flush_task

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")

pytestmark = pytest.mark.django_db


def _views(product) -> int:
    record = ProductRecord.objects.filter(product=product).first()
    return record.num_views if record else 0


def _shopper(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    moxa = Product.objects.get(upc="WP-MOXA")
    client.post(reverse("basket:add", kwargs={"pk": moxa.pk}), {"quantity": 1})
    return client


def test_a_shoppers_views_run_no_analytics_query_and_are_counted_by_the_flush(catalogue):
    product_views_flush_task()  # what earlier tests counted
    moxa, tui = Product.objects.get(upc="WP-MOXA"), Product.objects.get(upc="TUI")
    before = _views(moxa), _views(tui)
    shopper = _shopper()
    with CaptureQueriesContext(connection) as captured:
        for url in (moxa.get_absolute_url(),) * 3 + (tui.get_absolute_url(),):
            assert shopper.get(url).status_code == 200
    assert not [q for q in captured if "analytics_" in q["sql"]]
    assert (_views(moxa), _views(tui)) == before  # not yet: in Redis

    assert product_views_flush_task() == 4
    assert (_views(moxa), _views(tui)) == (before[0] + 3, before[1] + 1)
    assert product_views_flush_task() == 0  # each view once
    assert (_views(moxa), _views(tui)) == (before[0] + 3, before[1] + 1)


def test_a_patients_views_are_flushed_with_their_counter_and_the_time_of_each(catalogue, patient):
    product_views_flush_task()
    moxa = Product.objects.get(upc="WP-MOXA")
    shopper = _shopper(patient)
    started = time.time()
    with CaptureQueriesContext(connection) as captured:
        shopper.get(moxa.get_absolute_url())
        shopper.get(moxa.get_absolute_url())
    viewed = time.time()
    assert not [q for q in captured if "analytics_" in q["sql"]]
    assert not UserProductView.objects.filter(user=patient).exists()

    time.sleep(1.1)  # the rows get the time of the view, not the flush's
    assert product_views_flush_task() == 2
    rows = UserProductView.objects.filter(user=patient, product=moxa)
    assert rows.count() == 2
    assert all(started - 0.01 <= row.date_created.timestamp() <= viewed for row in rows)
    assert UserRecord.objects.get(user=patient).num_product_views == 2


def test_views_while_redis_is_down_are_counted_at_once_and_after_it_by_the_flush(
    catalogue, throwaway_redis
):
    moxa = Product.objects.get(upc="WP-MOXA")
    caches = {
        "default": {
            "BACKEND": "shop.core.cache.ResilientRedisCache",
            "LOCATION": throwaway_redis.url,
            "KEY_PREFIX": "views-outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=caches):
        before = _views(moxa)
        throwaway_redis.stop()
        assert Client().get(moxa.get_absolute_url()).status_code == 200
        assert _views(moxa) == before + 1  # in PostgreSQL at once: no view lost

        throwaway_redis.start()
        Client().get(moxa.get_absolute_url())
        assert _views(moxa) == before + 1
        assert product_views_flush_task() == 1
        assert _views(moxa) == before + 2
