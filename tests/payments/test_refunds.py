"""Refunds through Stripe (localstripe), recorded on the order by Oscar's event handler."""

from decimal import Decimal

import pytest

from shop.core.signals import refund_recorded
from shop.payments import refunds


def test_a_partial_then_a_full_refund(paid_order):
    seen = []
    receiver = lambda sender, **kwargs: seen.append((kwargs["amount"], kwargs["reference"]))  # noqa: E731
    refund_recorded.connect(receiver)
    try:
        first = refunds.refund_create(order=paid_order, amount=Decimal("100.00"))
        paid_order.refresh_from_db()
        assert paid_order.status == "Partially refunded"
        assert paid_order.sources.get().amount_refunded == Decimal("100.00")

        second = refunds.refund_create(order=paid_order, amount=Decimal("298.00"))
    finally:
        refund_recorded.disconnect(receiver)

    paid_order.refresh_from_db()
    assert paid_order.status == "Refunded"
    assert paid_order.sources.get().amount_refunded == Decimal("398.00")
    events = paid_order.payment_events.filter(event_type__code="refunded").order_by("id")
    assert [(e.amount, e.reference) for e in events] == [
        (Decimal("100.00"), first),
        (Decimal("298.00"), second),
    ]
    assert first.startswith("re_") and second.startswith("re_")
    full = events.last()
    assert [(q.line.partner_sku, q.quantity) for q in full.line_quantities.all()] == [("TUI-5", 1)]
    assert seen == [(Decimal("100.00"), first), (Decimal("298.00"), second)]


def test_an_over_refund_is_refused_by_the_shop(paid_order):
    refunds.refund_create(order=paid_order, amount=Decimal("300.00"))

    with pytest.raises(refunds.RefundRefused, match="At most S\\$98.00"):
        refunds.refund_create(order=paid_order, amount=Decimal("98.01"))

    paid_order.refresh_from_db()
    assert paid_order.sources.get().amount_refunded == Decimal("300.00")
    assert paid_order.payment_events.filter(event_type__code="refunded").count() == 1


def test_a_refund_recorded_twice_counts_once(paid_order):
    assert refunds.refund_record(order=paid_order, amount=Decimal("10.00"), reference="re_1")
    assert not refunds.refund_record(order=paid_order, amount=Decimal("10.00"), reference="re_1")

    assert paid_order.sources.get().amount_refunded == Decimal("10.00")
