"""Refund of unused sessions through Stripe (localstripe), to the cent."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shop.packages import disputes, services
from shop.packages.models import PackageCredit
from shop.packages.services import CreditRefused
from shop.payments import refunds as payments


def test_refunding_unused_sessions_refunds_their_price_at_stripe(
    paid_order, localstripe, clinic_staff
):
    credit = paid_order.credits.get()
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)

    assert disputes.credit_refund_quote(credit=PackageCredit.objects.get(pk=credit.pk)) == (
        3,
        Decimal("238.80"),
    )
    event = disputes.credit_refund_unused(credit_id=credit.pk, by=clinic_staff)

    refund = localstripe.client.v1.refunds.retrieve(event.reference)
    assert refund.amount == 23880
    paid_order.refresh_from_db()
    assert paid_order.status == "Partially refunded"
    credit.refresh_from_db()
    assert (credit.status, credit.sessions_left, credit.flagged_reason) == ("refunded", 0, "")
    with pytest.raises(CreditRefused, match="no unused sessions"):
        disputes.credit_refund_unused(credit_id=credit.pk, by=clinic_staff)


def test_a_free_amount_refund_from_the_shops_dashboard_changes_no_credit(paid_order, localstripe):
    payments.refund_create(order=paid_order, amount=Decimal("10.00"))

    credit = paid_order.credits.get()
    assert (credit.sessions_left, credit.status, credit.flagged_reason) == (5, "active", "")
    assert not credit.events.filter(kind="flagged").exists()


def test_staff_refund_unused_sessions_from_the_orders_dashboard_page(
    client, paid_order, localstripe, clinic_staff, accountant
):
    page = reverse("dashboard:order-detail", kwargs={"number": paid_order.number})
    client.force_login(accountant)
    html = client.get(page).content.decode()
    assert "Treatment package credits" in html and "Refund unused sessions" not in html

    client.force_login(clinic_staff)
    html = client.get(page).content.decode()
    assert "Refund unused sessions (5, S$398.00)" in html
    credit = paid_order.credits.get()
    refund_url = reverse("packages-dashboard:packages-credit-refund", kwargs={"code": credit.code})
    response = client.post(refund_url, {"next": page}, follow=True)

    assert "Refunded S$398.00 for 5 unused session(s)" in response.content.decode()
    credit.refresh_from_db()
    assert credit.status == "refunded"
    refund = localstripe.client.v1.refunds.retrieve(credit.events.get(kind="refunded").reference)
    assert refund.amount == 39800
    paid_order.refresh_from_db()
    assert paid_order.status == "Refunded"
    # The payments area's refund path: one refund event on the order, flagged nowhere.
    event = paid_order.payment_events.get(event_type__code="refunded")
    assert (event.amount, event.reference) == (Decimal("398.00"), refund.id)
    assert credit.flagged_reason == "" and not credit.events.filter(kind="flagged").exists()
    # ... and its refund email to the patient, for the amount to the cent.
    from shop.notifications.delivery import confirmation_messages
    from shop.notifications.models import Confirmation
    from shop.notifications.services import communication_types_load

    communication_types_load(refresh=True)
    confirmation = Confirmation.objects.get(order=paid_order, kind="refund")
    assert (confirmation.amount, confirmation.reference) == (Decimal("398.00"), refund.id)
    body = confirmation_messages(confirmation=confirmation)["body"]
    assert "S$398.00" in body and paid_order.number in body
