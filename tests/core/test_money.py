from decimal import Decimal

import pytest

from shop.core.money import from_cents, gst_part, order_gst, to_cents
from tests.factories import paid_order_create


@pytest.mark.parametrize(
    ("amount", "gst"),
    [
        ("0.01", "0.00"),
        ("0.06", "0.00"),
        ("0.12", "0.01"),
        ("10.00", "0.83"),
        ("88.88", "7.34"),
        ("109.00", "9.00"),
        ("398.00", "32.86"),
        ("1234.56", "101.94"),
    ],
)
def test_gst_part_of_an_inclusive_price_is_rounded_to_the_cent(amount, gst):
    assert gst_part(Decimal(amount)) == Decimal(gst)


def test_gst_part_is_a_decimal_with_two_places():
    part = gst_part(Decimal("88.88"))
    assert isinstance(part, Decimal)
    assert part.as_tuple().exponent == -2


def test_gst_part_follows_the_rate_setting(settings):
    settings.SHOP_GST_RATE = Decimal("8")
    # 108.00 at 8% holds 8.00 of GST.
    assert gst_part(Decimal("108.00")) == Decimal("8.00")


def test_not_gst_registered_charges_no_gst(settings):
    settings.SHOP_GST_REGISTERED = False
    assert gst_part(Decimal("1234.56")) == Decimal("0.00")


@pytest.mark.parametrize(("amount", "cents"), [("0.01", 1), ("88.88", 8888), ("1234.56", 123456)])
def test_cents_round_trip(amount, cents):
    assert to_cents(Decimal(amount)) == cents
    assert from_cents(cents) == Decimal(amount)
    assert str(from_cents(cents)) == amount


def test_order_gst_is_the_total_incl_less_the_total_excl(catalogue):
    order = paid_order_create(number="GST-1", items=[("TUI-5", 1)])
    assert order_gst(order=order) == Decimal("32.86") == gst_part(Decimal("398.00"))


@pytest.mark.parametrize(("amount", "cents"), [("12.345", 1235), ("12.344", 1234), ("-0.005", -1)])
def test_cents_of_more_than_two_places_round_half_up(amount, cents):
    assert to_cents(Decimal(amount)) == cents
