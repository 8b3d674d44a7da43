"""Counting sales in Oscar's analytics never costs a paid order."""

import contextlib
import threading

import pytest
from django.db import connection
from django.db.models.signals import pre_save
from oscar.core.loading import get_model

from tests.factories import paid_order_create, product_by_sku

Order = get_model("order", "Order")
ProductRecord = get_model("analytics", "ProductRecord")


@pytest.mark.django_db(transaction=True)
def test_two_first_ever_sales_of_a_product_at_once_both_become_orders(catalogue):
    # Both sales look for the product's counter row, find none, and create it at the same
    # moment (the barrier holds each creation until the other one is about to create too).
    product = product_by_sku("ACU-1")
    assert not ProductRecord.objects.filter(product=product).exists()
    both_creating = threading.Barrier(2)

    def hold_until_both_create(sender, instance, **kwargs) -> None:
        if instance.pk is None:
            # A broken barrier: one sale never got here, there is nothing to line up.
            with contextlib.suppress(threading.BrokenBarrierError):
                both_creating.wait(timeout=15)

    pre_save.connect(hold_until_both_create, sender=ProductRecord, weak=False)
    errors = []

    def pay(number: str) -> None:
        try:
            paid_order_create(items=[("ACU-1", 1)], number=number)
        except Exception as error:  # reported below: a thread's failure fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(f"FIRST-{n}",)) for n in (1, 2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        pre_save.disconnect(hold_until_both_create, sender=ProductRecord)

    assert errors == []
    assert sorted(Order.objects.values_list("number", flat=True)) == ["FIRST-1", "FIRST-2"]
    assert ProductRecord.objects.get(product=product).num_purchases == 2
