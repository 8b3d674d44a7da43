"""The accountants' register of a month's documents adds up to the order export."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from shop.accounting.columns import ExportTotals
from shop.accounting.models import ExportPer
from shop.accounting.rows import ExportSpec, export_rows
from shop.core.selectors import CLINIC_TZ
from shop.invoices.register import register_csv
from shop.invoices.selectors import order_document_numbers
from tests.factories import paid_order_create, refund_record, site_discount_create
from tests.invoices.conftest import DELIVERY, invoice_of

pytestmark = pytest.mark.django_db


def test_the_register_totals_equal_the_export_with_discounts_delivery_and_refunds(catalogue):
    site_discount_create(percent=15)
    orders = [
        paid_order_create(
            items=[("YQG-5", 1), ("WP-OILM", 2)], shipping_incl=DELIVERY, discount=True
        ),
        paid_order_create(items=[("ACU-10", 1)], discount=True),
        paid_order_create(items=[("WP-TEAC", 3)], shipping_incl=DELIVERY),
    ]
    refund_record(order=orders[0], amount=Decimal("33.33"), refunded_at=timezone.now())
    refund_record(order=orders[2], amount=orders[2].total_incl_tax, refunded_at=timezone.now())
    today = timezone.localdate(timezone=CLINIC_TZ)
    month = today.replace(day=1)

    content, totals = register_csv(month=month)
    export = ExportTotals()
    spec = ExportSpec(date_from=month, date_to=today, per=ExportPer.ORDER)
    for _ in export_rows(spec=spec, totals=export):
        pass

    assert (totals.invoices, totals.credit_notes) == (3, 2) == (export.orders, 2)
    assert totals.invoiced["incl"] == export.total_incl_gst
    assert totals.invoiced["gst"] == export.gst
    assert totals.invoiced["excl"] == export.subtotal_excl_gst
    assert totals.credited["incl"] == export.refunded
    assert totals.net("incl") == export.net_received

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Number", "Date", "Kind", "Order", "Customer", "Excl. GST", "GST", "Total incl. GST"
    ]  # fmt: skip
    first = invoice_of(orders[0])
    assert rows[1][:4] == [first.number, first.snapshot["date"], "Tax Invoice", orders[0].number]
    assert rows[-1][0] == "TOTAL" and Decimal(rows[-1][7]) == export.net_received
    credit_rows = [row for row in rows[1:-1] if row[2] == "Credit Note"]
    assert [Decimal(row[7]) for row in credit_rows] == [
        Decimal("-33.33"),
        -orders[2].total_incl_tax,
    ]


def test_the_document_numbers_of_orders_for_the_export_columns(
    catalogue, django_assert_num_queries
):
    paid, refunded = (paid_order_create(items=[("ACU-1", 1)]) for _ in range(2))
    refund_record(order=refunded, amount=Decimal("1.00"), refunded_at=timezone.now())
    refund_record(order=refunded, amount=Decimal("2.00"), refunded_at=timezone.now())

    with django_assert_num_queries(1):
        numbers = order_document_numbers(order_ids=[paid.pk, refunded.pk])

    assert numbers[paid.pk] == {"invoice": invoice_of(paid).number, "credit_notes": []}
    notes = refunded.documents.filter(kind="credit_note").order_by("id")
    assert numbers[refunded.pk] == {
        "invoice": invoice_of(refunded).number,
        "credit_notes": [note.number for note in notes],
    }
