"""A package credit for every package unit bought, whichever path placed the order."""

from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

from shop.core.selectors import CLINIC_TZ
from shop.packages.models import CODE_ALPHABET, PackageCredit
from shop.packages.purchases import credits_create_for_order
from shop.payments import intents, placement
from tests.factories import paid_order_create, product_by_sku
from tests.fixtures.stripe import WEBHOOK, signed_event, webhook_succeeded_post

Order = get_model("order", "Order")

VISA = "4242424242424242"


def test_a_guest_who_pays_in_the_browser_gets_one_credit_with_the_packages_terms(
    shopper, localstripe
):
    shopper.add("TUI-5")
    shopper.as_guest("mei@example.com")
    assert shopper.pay(localstripe.card(VISA)).status_code == 200

    order = Order.objects.get()
    credit = PackageCredit.objects.get()
    assert (credit.order, credit.email, credit.user) == (order, "mei@example.com", None)
    assert (credit.sessions_bought, credit.sessions_left, credit.session_minutes) == (5, 5, 45)
    assert credit.amount_paid == order.total_incl_tax == Decimal("398.00")
    assert credit.session_price == Decimal("79.60")
    paid_day = timezone.localtime(order.date_placed, CLINIC_TZ).date()
    assert (credit.valid_until - paid_day).days == credit.validity_days > 0
    assert len(credit.code) == 8 and set(credit.code) <= set(CODE_ALPHABET)
    assert credit.status == PackageCredit.Status.ACTIVE
    assert list(credit.events.values_list("kind", "sessions")) == [("purchased", 5)]


def test_the_webhook_alone_makes_the_credit_and_a_duplicate_makes_no_second(
    client, prepared, localstripe
):
    record = prepared(("TUI-5", 1))
    localstripe.client.v1.payment_intents.update(
        record.intent_id, params={"payment_method": localstripe.card(VISA)}
    )
    localstripe.client.v1.payment_intents.confirm(record.intent_id)

    payload = webhook_succeeded_post(client, record.intent_id)
    client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signed_event(payload),
    )
    webhook_succeeded_post(client, record.intent_id)  # a second event for the same payment
    placement.order_place_for_intent(intent_id=record.intent_id)  # the browser comes back late

    credit = PackageCredit.objects.get()
    assert credit.order.number == record.order_number
    assert credit.sessions_left == 5


def test_quantity_two_makes_two_credits_with_their_own_codes(prepared, localstripe):
    record = prepared(("ACU-5", 2))
    intents.payment_intent_confirm(record=record, payment_method=localstripe.card(VISA))
    order = placement.order_place_for_intent(intent_id=record.intent_id)

    credits = list(order.credits.order_by("unit_index"))
    assert [c.unit_index for c in credits] == [0, 1]
    assert len({c.code for c in credits}) == 2
    assert sum(c.amount_paid for c in credits) == order.lines.get().line_price_incl_tax


def test_per_session_prices_add_up_to_the_discounted_line_total_to_the_cent(catalogue):
    product = product_by_sku("TUI-5")
    from tests.factories import site_discount_create

    site_discount_create(percent=7)
    order = paid_order_create(items=[("TUI-5", 3), ("TUI-10", 1)], discount=True)
    for line in order.lines.all():
        credits = list(line.credits.all())
        assert len(credits) == line.quantity
        assert line.line_price_incl_tax < line.line_price_before_discounts_incl_tax
        total = sum(
            c.sessions_value(first=i, count=1) for c in credits for i in range(c.sessions_bought)
        )
        assert total == line.line_price_incl_tax
        assert sum(c.amount_paid for c in credits) == line.line_price_incl_tax
    assert product.title.startswith("Tuina")


def test_making_the_credits_again_changes_nothing(catalogue):
    order = paid_order_create(items=[("YQG-5", 2)])
    codes = set(order.credits.values_list("code", flat=True))

    again = credits_create_for_order(order=order)

    assert {c.code for c in again} == codes
    assert PackageCredit.objects.filter(order=order).count() == 2


def test_a_later_edit_of_the_product_changes_no_credit_sold(catalogue):
    order = paid_order_create(items=[("TUI-5", 1)])
    product = product_by_sku("TUI-5")
    product.attr.sessions = 6
    product.attr.validity_days = 1
    product.save()

    credit = order.credits.get()
    credit.refresh_from_db()
    assert (credit.sessions_bought, credit.validity_days) == (5, 180)


def test_wellness_products_make_no_credit(catalogue):
    order = paid_order_create(items=[("WP-MOXA", 1)])
    assert not order.credits.exists()
