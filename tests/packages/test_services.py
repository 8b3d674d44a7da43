"""A credit's life under a row lock: redeem, undo, extend, expire, freeze, refund."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.core.selectors import CLINIC_TZ
from shop.packages import disputes, services
from shop.packages.models import PackageCredit
from shop.packages.services import CreditRefused
from tests.factories import paid_order_create

Status = PackageCredit.Status


def _credit(sku="TUI-5", **kwargs) -> PackageCredit:
    return paid_order_create(items=[(sku, 1)], **kwargs).credits.get()


def _singapore(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CLINIC_TZ)


def test_redeeming_records_who_and_when_and_counts_down(catalogue, clinic_staff):
    credit = _credit()

    event = services.credit_redeem(credit_id=credit.pk, by=clinic_staff, note="Left knee")

    credit.refresh_from_db()
    assert (credit.sessions_used, credit.sessions_left) == (1, 4)
    assert (event.kind, event.by, event.note) == ("redeemed", clinic_staff, "Left knee")
    assert event.amount == -Decimal("79.60")


def test_the_last_session_uses_the_credit_up_and_the_next_is_refused(catalogue, clinic_staff):
    credit = _credit("TUI-1")
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)

    with pytest.raises(CreditRefused, match="No sessions left"):
        services.credit_redeem(credit_id=credit.pk, by=clinic_staff)

    credit.refresh_from_db()
    assert (credit.status, credit.sessions_left) == (Status.USED_UP, 0)


def test_the_last_valid_day_redeems_and_the_next_day_refuses(catalogue, clinic_staff):
    credit = _credit()
    last = credit.valid_until

    services.credit_redeem(credit_id=credit.pk, by=clinic_staff, at=_singapore(last, 23, 59))
    with pytest.raises(CreditRefused, match="expired: it was valid until"):
        services.credit_redeem(
            credit_id=credit.pk, by=clinic_staff, at=_singapore(last + datetime.timedelta(1), 0, 1)
        )


def test_the_daily_expiry_uses_singapore_days(catalogue):
    credit = _credit()
    last = credit.valid_until

    assert services.credits_expire(today=last) == 0
    assert services.credits_expire(today=last + datetime.timedelta(days=1)) == 1

    credit.refresh_from_db()
    assert credit.status == Status.EXPIRED
    expired = credit.events.get(kind="expired")
    assert (expired.sessions, expired.amount) == (-5, -Decimal("398.00"))


def test_a_frozen_credit_refuses_saying_why_and_unfreezes(catalogue, clinic_staff):
    credit = _credit()
    disputes.credits_freeze_for_order(order=credit.order, reason="Dispute dp_1 opened")

    with pytest.raises(CreditRefused, match="frozen \\(Dispute dp_1 opened\\)"):
        services.credit_redeem(credit_id=credit.pk, by=clinic_staff)

    disputes.credits_unfreeze_for_order(order=credit.order, note="Dispute won")
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    credit.refresh_from_db()
    assert (credit.status, credit.sessions_left) == (Status.ACTIVE, 4)


def test_undo_within_a_day_with_a_reason_gives_the_session_back_once(catalogue, clinic_staff):
    credit = _credit("TUI-1")
    redemption = services.credit_redeem(credit_id=credit.pk, by=clinic_staff)

    with pytest.raises(CreditRefused, match="reason"):
        services.credit_redemption_undo(event_id=redemption.pk, by=clinic_staff, reason=" ")
    services.credit_redemption_undo(
        event_id=redemption.pk, by=clinic_staff, reason="Wrong patient"
    )
    with pytest.raises(CreditRefused, match="undone already"):
        services.credit_redemption_undo(event_id=redemption.pk, by=clinic_staff, reason="again")

    credit.refresh_from_db()
    assert (credit.status, credit.sessions_left) == (Status.ACTIVE, 1)
    assert list(credit.events.values_list("kind", flat=True)) == [
        "purchased",
        "redeemed",
        "undone",
    ]


def test_undo_after_a_day_is_refused(catalogue, clinic_staff):
    credit = _credit()
    redemption = services.credit_redeem(credit_id=credit.pk, by=clinic_staff)

    with pytest.raises(CreditRefused, match="within 24 hours"):
        services.credit_redemption_undo(
            event_id=redemption.pk,
            by=clinic_staff,
            reason="late",
            at=redemption.created_at + datetime.timedelta(hours=24, minutes=1),
        )


def test_extending_an_expired_credit_makes_it_active_again(catalogue, clinic_staff):
    credit = _credit()
    services.credits_expire(today=credit.valid_until + datetime.timedelta(days=1))
    PackageCredit.objects.filter(pk=credit.pk).update(
        valid_until=timezone.localdate(timezone=CLINIC_TZ) - datetime.timedelta(days=1)
    )
    new_day = timezone.localdate(timezone=CLINIC_TZ) + datetime.timedelta(days=30)

    with pytest.raises(CreditRefused, match="reason"):
        services.credit_extend(
            credit_id=credit.pk, by=clinic_staff, valid_until=new_day, reason=""
        )
    event = services.credit_extend(
        credit_id=credit.pk, by=clinic_staff, valid_until=new_day, reason="Patient was abroad"
    )

    credit.refresh_from_db()
    assert (credit.status, credit.valid_until) == (Status.ACTIVE, new_day)
    assert (event.sessions, event.amount) == (5, Decimal("398.00"))
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)


def test_the_database_refuses_more_sessions_than_bought(catalogue):
    credit = _credit("TUI-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PackageCredit.objects.filter(pk=credit.pk).update(sessions_used=1, sessions_refunded=1)


def test_a_refund_in_stripes_dashboard_flags_the_credits_for_staff(catalogue):
    from tests.factories import refund_record

    order = paid_order_create(items=[("TUI-5", 1)])
    refund_record(
        order=order, amount=Decimal("79.60"), refunded_at=timezone.now(), reference="re_dash"
    )

    credit = order.credits.get()
    assert "S$79.60 refunded" in credit.flagged_reason and "re_dash" in credit.flagged_reason
    assert credit.sessions_left == 5  # staff decide which sessions it was for
    assert credit.events.filter(kind="flagged", reference="re_dash").exists()


def test_a_lost_dispute_takes_the_unused_sessions_as_refunded(catalogue, clinic_staff):
    credit = _credit()
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    disputes.credits_freeze_for_order(order=credit.order, reason="Dispute dp_2 opened")

    disputes.credits_dispute_close(order=credit.order, won=False, reference="dp_2")

    credit.refresh_from_db()
    assert (credit.status, credit.sessions_refunded, credit.sessions_left) == (
        Status.REFUNDED,
        4,
        0,
    )
    refunded = credit.events.get(kind="refunded")
    assert refunded.amount == -Decimal("318.40")
