"""Document numbers: sequential per kind, without gaps or repeats, also under concurrency."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from shop.invoices.models import Document, DocumentKind
from tests.factories import paid_order_create, refund_record
from tests.invoices.conftest import invoice_of


def _sequence(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


@pytest.mark.django_db
def test_numbers_follow_the_settings_prefix_year_and_start(catalogue, settings):
    settings.SHOP_INVOICE_PREFIX = "LY{year}/"
    settings.SHOP_INVOICE_NUMBER_START = 500
    first = invoice_of(paid_order_create(items=[("ACU-1", 1)]))
    second = invoice_of(paid_order_create(items=[("ACU-1", 1)]))

    year = first.issued_at.astimezone(first.issued_at.tzinfo).year
    assert first.number == f"LY{first.snapshot['date'][:4]}/000500"
    assert second.number == f"LY{year}/000501"


@pytest.mark.django_db
def test_a_rolled_back_payment_leaves_no_gap(catalogue):
    before = invoice_of(paid_order_create(items=[("ACU-1", 1)]))
    with pytest.raises(RuntimeError), transaction.atomic():
        paid_order_create(items=[("TUI-1", 1)])
        raise RuntimeError("the payment's transaction fails after the order was placed")
    after = invoice_of(paid_order_create(items=[("ACU-1", 1)]))

    assert _sequence(after.number) == _sequence(before.number) + 1
    assert Document.objects.filter(kind=DocumentKind.INVOICE).count() == 2


@pytest.mark.django_db
def test_credit_notes_have_their_own_sequence_and_one_per_refund(catalogue):
    order = paid_order_create(items=[("KWT-5", 1)])
    refund_record(order=order, amount=order.total_incl_tax / 2, refunded_at=order.date_placed)
    refund_record(order=order, amount=order.total_incl_tax / 2, refunded_at=order.date_placed)
    notes = list(order.documents.filter(kind=DocumentKind.CREDIT_NOTE).order_by("id"))

    assert [note.number[:3] for note in notes] == ["CN-", "CN-"]
    assert _sequence(notes[1].number) == _sequence(notes[0].number) + 1
    assert len({note.refund_reference for note in notes}) == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_orders_paid_at_once_get_twenty_consecutive_numbers(catalogue):
    # Each order buys another product, so that no stock record's row lock lines them up
    # before their numbers are allocated. One order of them all first, so the numbers
    # measured start after a warm-up (first sales at once: tests/analytics).
    skus = [f"{kind}-{n}" for kind in ("ACU", "TUI", "FEM", "YQG", "KWT") for n in (1, 5, 10)]
    skus += ["WP-MOXA", "WP-HEAT", "WP-KNEE", "WP-OILM", "WP-TEAC"]
    first = paid_order_create(items=[(sku, 1) for sku in skus], shipping_incl=Decimal("6.00"))
    warm_up = _sequence(invoice_of(first).number)
    count = len(skus)
    start = threading.Barrier(count)
    orders, errors = [], []

    def pay(index: int) -> None:
        try:
            start.wait(timeout=60)
            orders.append(
                paid_order_create(
                    items=[(skus[index], 1)],
                    number=f"C{index:05d}",
                    shipping_incl=Decimal("6.00"),
                )
            )
        except Exception as error:  # reported below: a thread's failure fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)

    assert errors == []
    numbers = sorted(_sequence(invoice_of(order).number) for order in orders)
    assert len(orders) == count
    assert numbers == list(range(warm_up + 1, warm_up + 1 + count))
