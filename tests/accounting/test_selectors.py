"""The export reads orders in chunks with a fixed number of queries per chunk."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.accounting.columns import ExportTotals
from shop.accounting.formats import export_csv_chunks
from shop.accounting.rows import ExportSpec
from shop.accounting.selectors import order_chunks_export
from shop.core.selectors import CLINIC_TZ
from tests.factories import paid_order_create, refund_record, site_discount_create

SPEC = ExportSpec(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), per="line")
BASKETS = [
    ([("TUI-5", 1)], None),
    ([("WP-MOXA", 2), ("WP-HEAT", 1)], Decimal("5.00")),
    ([("ACU-10", 1), ("WP-TEAC", 1), ("WP-OILM", 3)], Decimal("5.00")),
    ([("KWT-1", 2)], None),
    ([("YQG-5", 1), ("WP-GUAS", 1)], Decimal("5.00")),
]


def orders_create(count: int, *, start: int = 0) -> None:
    for index in range(start, start + count):
        items, shipping = BASKETS[index % len(BASKETS)]
        order = paid_order_create(
            number=f"Q{index:04d}",
            items=items,
            placed_at=datetime(2026, 10, 1, tzinfo=CLINIC_TZ) + timedelta(hours=7 * index),
            shipping_incl=shipping,
            discount=index % 3 == 0,
        )
        if index % 4 == 1:
            refund_record(order=order, amount=Decimal("1.00"), refunded_at=order.date_placed)


def export(chunk_size: int = 2000) -> bytes:
    return b"".join(export_csv_chunks(spec=SPEC, totals=ExportTotals(), chunk_size=chunk_size))


@pytest.fixture
def discount(catalogue):
    return site_discount_create(percent=5)


def test_query_count_does_not_grow_with_the_orders(discount, django_assert_max_num_queries):
    orders_create(5)
    with CaptureQueriesContext(connection) as five:
        small = export()
    assert small.count(b"\r\nQ0") == 12  # 5 orders: 9 lines and 3 shipping lines
    orders_create(45, start=5)
    with django_assert_max_num_queries(len(five.captured_queries)):
        large = export()
    assert large.count(b"\r\nQ0") > 100


def test_queries_per_chunk_are_fixed_and_chunks_join_up(discount, django_assert_max_num_queries):
    orders_create(50)
    # One cursor for the orders; per chunk: lines, sources, events, discounts, tax document
    # numbers (5), and for products not seen before their type and sessions (2).
    with django_assert_max_num_queries(1 + 5 * 7):
        chunked = export(chunk_size=10)
    assert chunked == export()
    sizes = [len(chunk) for chunk in order_chunks_export(
        date_from=SPEC.date_from, date_to=SPEC.date_to, chunk_size=10)]  # fmt: skip
    assert sizes == [10, 10, 10, 10, 10]
