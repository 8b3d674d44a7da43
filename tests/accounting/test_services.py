"""Values of the export on hand-made orders, totals and the GST allocation."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db.models import F, Sum
from openpyxl import load_workbook
from oscar.core.loading import get_model

from shop.accounting.columns import LINE_COLUMNS, ORDER_COLUMNS, ExportTotals
from shop.accounting.formats import export_csv_chunks, export_file_write
from shop.accounting.rows import ExportSpec, cents_allocate
from shop.core.money import gst_part
from shop.core.selectors import CLINIC_TZ
from tests.factories import paid_order_create, refund_record, site_discount_create

Order = get_model("order", "Order")
Line = get_model("order", "Line")
PaymentEvent = get_model("order", "PaymentEvent")

OCT = {"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)}
D = Decimal


def at(day: int, hour: int = 10, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CLINIC_TZ)


def read_csv(spec: ExportSpec) -> list[dict]:
    buffer = io.BytesIO()
    export_file_write(spec=spec, target=buffer)
    text = buffer.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def by_number(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["Order number"], []).append(row)
    return grouped


@pytest.fixture
def orders(catalogue, patient):
    """Six orders of October 2026 (SGT), each a case an accountant must see right."""
    patient.first_name, patient.last_name = "Mei Ling", "Tan"
    patient.save()
    services = paid_order_create(
        number="SERVICES",
        items=[("TUI-5", 1), ("ACU-1", 2)],
        placed_at=at(1, 0, 5),  # just after midnight CLINIC_TZ: still 30 September in UTC
        paid_at=at(1, 0, 6),
        user=patient,
        payment_intent="pi_services",
    )
    products = paid_order_create(
        number="PRODUCTS",
        items=[("WP-MOXA", 3), ("WP-HEAT", 1)],
        placed_at=at(5),
        guest_email="walkin@example.com",
        shipping_incl=D("5.00"),
    )
    mixed = paid_order_create(
        number="MIXED",
        items=[("TUI-10", 1), ("WP-TEAC", 2), ("WP-OILM", 1)],
        placed_at=at(10),
        shipping_incl=D("5.00"),
    )
    partly = paid_order_create(number="PARTLY", items=[("FEM-5", 1)], placed_at=at(12))
    refund_record(order=partly, amount=D("100.00"), refunded_at=at(14, 9))
    fully = paid_order_create(
        number="FULLY", items=[("ACU-5", 1), ("WP-KNEE", 1)], placed_at=at(15)
    )
    refund_record(order=fully, amount=D("50.00"), refunded_at=at(16, 9))
    refund_record(
        order=fully, amount=fully.total_incl_tax - D("50.00"), refunded_at=at(20, 17, 30)
    )
    site_discount_create(percent=10)
    discounted = paid_order_create(
        number="DISCOUNTED",
        items=[("YQG-5", 1), ("WP-MOXA", 1), ("WP-TEAR", 1)],
        placed_at=at(31, 23, 59),  # last minute of October in CLINIC_TZ
        shipping_incl=D("5.00"),
        discount=True,
    )
    # Outside the range: 1 November 00:00 CLINIC_TZ is still 31 October in UTC.
    paid_order_create(number="NOVEMBER", items=[("TUI-1", 1)], placed_at=at(1, 0, 0, month=11))
    paid_order_create(number="SEPTEMBER", items=[("TUI-1", 1)], placed_at=at(30, 23, 59, month=9))
    return {o.number: o for o in (services, products, mixed, partly, fully, discounted)}


def test_per_order_values(orders):
    rows = read_csv(ExportSpec(**OCT, per="order"))
    assert list(rows[0]) == [column.header for column in ORDER_COLUMNS]
    data, total = rows[:-1], rows[-1]
    assert [row["Order number"] for row in data] == [
        "SERVICES", "PRODUCTS", "MIXED", "PARTLY", "FULLY", "DISCOUNTED"
    ]  # fmt: skip
    assert total["Order number"] == "TOTAL"
    rows = {row["Order number"]: row for row in data}

    services = rows["SERVICES"]
    assert services["Placed at (SGT)"] == "2026-10-01 00:05:00"
    assert services["Paid at (SGT)"] == "2026-10-01 00:06:00"
    assert services["Status"] == "Paid"
    assert services["Customer name"] == "Mei Ling Tan"
    assert services["Email"] == "patient@example.com"
    assert services["Item count"] == "3"
    assert services["Total incl. GST"] == "554.00"  # 398.00 + 2 x 78.00
    assert services["GST"] == "45.74"  # 36.86 + 2 x 6.44 from the lines
    assert services["Subtotal excl. GST"] == "508.26"
    assert services["Discount"] == "0.00"
    assert services["Shipping incl. GST"] == "0.00"
    assert services["Currency"] == "SGD"
    assert services["Payment method"] == "Stripe"
    assert services["Stripe PaymentIntent id"] == "pi_services"
    assert services["Refunded amount"] == "0.00"
    assert services["Last refund date (SGT)"] == ""
    assert services["Net received"] == "554.00"

    products = rows["PRODUCTS"]
    assert products["Email"] == "walkin@example.com"
    assert products["Total incl. GST"] == "76.60"  # 3 x 18.90 + 14.90 + 5.00 shipping
    assert products["Shipping incl. GST"] == "5.00"
    assert D(products["GST"]) == D(products["Total incl. GST"]) - D(products["Subtotal excl. GST"])

    partly = rows["PARTLY"]
    assert partly["Status"] == "Partially refunded"
    assert partly["Refunded amount"] == "100.00"
    assert partly["Last refund date (SGT)"] == "2026-10-14 09:00:00"
    assert partly["Net received"] == "478.00"  # 578.00 - 100.00

    fully = rows["FULLY"]
    assert fully["Status"] == "Refunded"
    assert fully["Refunded amount"] == fully["Total incl. GST"] == "387.00"  # 355.00 + 32.00
    assert fully["Last refund date (SGT)"] == "2026-10-20 17:30:00"
    assert fully["Net received"] == "0.00"

    discounted = rows["DISCOUNTED"]
    # 10% off the GST-inclusive prices patients see (OSCAR_OFFERS_INCL_TAX): 10% of
    # 312.88 + 18.90 + 15.90 = 347.68 is 34.77 off, then 5.00 shipping.
    assert discounted["Discount"] == "34.77"
    assert discounted["Total incl. GST"] == "317.91"
    assert discounted["Placed at (SGT)"] == "2026-10-31 23:59:00"


def test_per_line_values(orders):
    rows = read_csv(ExportSpec(**OCT, per="line"))
    assert list(rows[0]) == [column.header for column in LINE_COLUMNS]
    lines = by_number(rows[:-1])

    services = lines["SERVICES"]
    assert [(r["Line number"], r["SKU"], r["Item type"], r["Sessions"]) for r in services] == [
        ("1", "TUI-5", "Treatment package", "5"),
        ("2", "ACU-1", "Treatment package", "1"),
    ]
    first = services[0]
    assert first["Product title"] == "Tuina Acupressure, 5 sessions"
    assert first["Quantity"] == "1"
    assert first["Unit price incl. GST"] == "398.00"
    assert first["Line total incl. GST"] == "398.00"
    assert first["Line GST"] == str(gst_part(D("398.00"))) == "32.86"
    assert first["Line excl. GST"] == "365.14"
    # Order columns repeat on each line.
    assert services[1]["Total incl. GST"] == "554.00"
    assert services[1]["Line total incl. GST"] == "156.00"

    products = lines["PRODUCTS"]
    assert [(r["SKU"], r["Item type"], r["Sessions"]) for r in products] == [
        ("WP-MOXA", "Wellness product", ""),
        ("WP-HEAT", "Wellness product", ""),
        ("", "Shipping", ""),
    ]
    shipping = products[-1]
    assert (shipping["Line total incl. GST"], shipping["Line GST"]) == ("5.00", "0.41")
    assert shipping["Line excl. GST"] == "4.59"

    mixed = lines["MIXED"]
    assert [r["Item type"] for r in mixed] == [
        "Treatment package", "Wellness product", "Wellness product", "Shipping"
    ]  # fmt: skip
    assert mixed[0]["Sessions"] == "10"

    discounted = lines["DISCOUNTED"]
    # Line totals are after the discount; unit prices are the catalogue's.
    assert discounted[0]["Unit price incl. GST"] == "312.88"
    assert D(discounted[0]["Line total incl. GST"]) < D("312.88")

    # Every order's lines add up to the order, to the cent.
    for number, order_lines in lines.items():
        order = orders[number]
        assert sum(D(r["Line total incl. GST"]) for r in order_lines) == order.total_incl_tax
        assert sum(D(r["Line GST"]) for r in order_lines) == (
            order.total_incl_tax - order.total_excl_tax
        )
        assert sum(D(r["Line excl. GST"]) for r in order_lines) == order.total_excl_tax
        for row in order_lines:
            assert D(row["Line GST"]) + D(row["Line excl. GST"]) == D(row["Line total incl. GST"])


def test_totals_equal_the_database_to_the_cent(orders):
    in_range = Order.objects.filter(number__in=orders)
    sums = in_range.aggregate(
        incl=Sum("total_incl_tax"), excl=Sum("total_excl_tax"), shipping=Sum("shipping_incl_tax")
    )
    refunded = PaymentEvent.objects.filter(
        order__in=in_range, event_type__name="Refunded"
    ).aggregate(total=Sum("amount"))["total"]
    # What patients saw taken off: the lines' prices before and after the offers.
    discount = Line.objects.filter(order__in=in_range).aggregate(
        total=Sum(F("line_price_before_discounts_incl_tax") - F("line_price_incl_tax"))
    )["total"]
    for per in ("order", "line"):
        totals = ExportTotals()
        chunks = list(export_csv_chunks(spec=ExportSpec(**OCT, per=per), totals=totals))
        assert totals.orders == 6
        assert totals.total_incl_gst == sums["incl"]
        assert totals.subtotal_excl_gst == sums["excl"]
        assert totals.gst == sums["incl"] - sums["excl"]
        assert totals.shipping_incl_gst == sums["shipping"]
        assert totals.refunded == refunded == D("100.00") + orders["FULLY"].total_incl_tax
        assert totals.discount == discount == D("34.77")
        assert totals.net_received == sums["incl"] - refunded
        last_row = next(csv.reader([chunks[-1].decode()]))
        columns = LINE_COLUMNS if per == "line" else ORDER_COLUMNS
        total_row = dict(zip([c.header for c in columns], last_row, strict=True))
        assert total_row["Total incl. GST"] == str(sums["incl"])
        assert total_row["GST"] == str(sums["incl"] - sums["excl"])
        assert total_row["Refunded amount"] == str(refunded)
        if per == "line":
            assert totals.line_total_incl_gst == sums["incl"]
            assert totals.line_gst == sums["incl"] - sums["excl"]
            assert total_row["Line GST"] == str(sums["incl"] - sums["excl"])


def test_status_filter(orders):
    rows = read_csv(ExportSpec(**OCT, statuses=("Refunded", "Partially refunded")))
    assert [row["Order number"] for row in rows[:-1]] == ["PARTLY", "FULLY"]
    assert rows[-1]["Status"] == "2 orders"


def test_empty_range_has_header_and_zero_totals(orders):
    rows = read_csv(ExportSpec(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31)))
    assert len(rows) == 1
    assert rows[0]["Order number"] == "TOTAL"
    assert rows[0]["Total incl. GST"] == "0.00"


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (1000, [3333, 3333, 3334], [333, 333, 334]),
        (7, [0, 0], [4, 3]),
        (-100, [1, 1, 1], [-34, -33, -33]),
        (5, [10, 0, 10], [3, 0, 2]),
        (0, [5, 5], [0, 0]),
        (9, [], []),
    ],
)
def test_cents_allocate(total, weights, expected):
    shares = cents_allocate(total=total, weights=weights)
    assert shares == expected
    if weights:
        assert sum(shares) == total


def test_line_gst_adds_up_when_the_lines_were_rounded_apart(catalogue):
    """Three lines whose own GST rounds to one cent more than the order's GST."""
    order = paid_order_create(
        number="ROUNDING", items=[("WP-TEAC", 1), ("WP-HEAT", 1), ("WP-OILM", 1)], placed_at=at(3)
    )
    # Recorded line GST 1.06 + 1.23 + 1.39 = 3.68; make the order's GST 3.67 (rounded as a whole).
    Order.objects.filter(pk=order.pk).update(total_excl_tax=order.total_incl_tax - D("3.67"))
    rows = read_csv(ExportSpec(**OCT, per="line"))[:-1]
    assert sum(D(r["Line GST"]) for r in rows) == D("3.67")
    assert sum(D(r["Line total incl. GST"]) for r in rows) == order.total_incl_tax


FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def formula_patient_order(catalogue, patient):
    patient.first_name, patient.last_name = FORMULA, ""
    patient.save()
    order = paid_order_create(
        number="FORMULA", items=[("TUI-1", 1)], placed_at=at(7), user=patient
    )
    # Refunded more than was paid (e.g. a goodwill refund in Stripe): a negative net amount.
    refund_record(order=order, amount=order.total_incl_tax + D("10.00"), refunded_at=at(8))
    return order


def test_formula_like_text_is_written_as_text_and_numbers_stay_numbers(formula_patient_order):
    row = read_csv(ExportSpec(**OCT, per="order"))[0]
    assert row["Customer name"] == "'" + FORMULA  # OWASP: a leading apostrophe
    assert row["Net received"] == "-10.00"  # a negative amount is a number, not text

    buffer = io.BytesIO()
    export_file_write(spec=ExportSpec(**OCT, per="line", format="xlsx"), target=buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Order lines"]
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    name = cells["Customer name"]
    assert (name.value, name.data_type) == (FORMULA, "s")  # a string cell, not a formula
    net = cells["Net received"]
    assert (net.value, net.data_type) == (-10, "n")
