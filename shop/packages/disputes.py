"""Writes for refunds and disputes of package credits.

A refund of unused sessions goes through the payments area's refund path
(`_stripe_refund`, the one place to repoint). Disputes freeze a credit; a lost
one takes its unused sessions as refunded (the money went with the dispute).
"""

from decimal import Decimal

from django.db import transaction

from shop.packages.models import CreditEvent, PackageCredit
from shop.packages.services import (
    CreditRefused,
    Kind,
    Status,
    _event,
    _locked,
    _refunding_sessions,
    _settle,
)
from shop.payments.refunds import RefundRefused, refund_create


def _stripe_refund(*, order, amount: Decimal) -> str:
    """Refund `amount` of `order` through Stripe and the shop's refund record; return its id."""
    try:
        return refund_create(order=order, amount=amount)
    except RefundRefused as error:
        raise CreditRefused(str(error)) from error


def credit_refund_quote(
    *, credit: PackageCredit, sessions: int | None = None
) -> tuple[int, Decimal]:
    """Return the unused sessions that can be refunded (at most `sessions`) and their price.

    Refunded sessions are the last ones, so the price is exact to the cent.
    """
    if credit.status in (Status.EXPIRED, Status.REFUNDED):
        return 0, Decimal("0.00")
    count = max(0, credit.sessions_left - credit.sessions_reserved)
    if sessions is not None:
        count = max(0, min(count, sessions))
    first = credit.sessions_bought - credit.sessions_refunded - count
    return count, credit.sessions_value(first=first, count=count)


def credit_refund_unused(
    *,
    credit_id: int,
    by,
    note: str = "",
    through_stripe: bool = True,
    reference: str = "",
    sessions: int | None = None,
) -> CreditEvent:
    """Refund the credit's unused sessions (unused x per-session price) and mark them refunded.

    With `through_stripe` False the money went back another way (a lost dispute, a
    refund made in Stripe's dashboard): the sessions are only marked.
    """
    with transaction.atomic():
        credit = _locked(credit_id)
        count, amount = credit_refund_quote(credit=credit, sessions=sessions)
        if count <= 0:
            raise CreditRefused("This credit has no unused sessions to refund.")
        if through_stripe:
            token = _refunding_sessions.set(True)
            try:
                reference = _stripe_refund(order=credit.order, amount=amount)
            finally:
                _refunding_sessions.reset(token)
        credit.sessions_refunded += count
        event = _event(
            credit,
            Kind.REFUNDED,
            by=by,
            note=note,
            sessions=-count,
            amount=-amount,
            reference=reference,
        )
        credit.flagged_reason = ""
        _settle(credit, by=by)
        credit.save(update_fields=["sessions_refunded", "status", "flagged_reason", "updated_at"])
    return event


def credit_flag_resolve(*, credit_id: int, by, sessions: int, note: str = "") -> CreditEvent:
    """Apply a flagged refund (made at Stripe) to `sessions` unused sessions, or just clear it.

    No money moves: the refund was made already; the sessions are marked refunded.
    """
    with transaction.atomic():
        credit = _locked(credit_id)
        if not credit.flagged_reason:
            raise CreditRefused("This credit is not flagged.")
        reason = credit.flagged_reason
        reference = next(
            (e.reference for e in credit.events.filter(kind=Kind.FLAGGED).order_by("-pk")), ""
        )
        if sessions > 0:
            return credit_refund_unused(
                credit_id=credit_id,
                by=by,
                note=note or f"Applied: {reason}",
                through_stripe=False,
                reference=reference,
                sessions=sessions,
            )
        credit.flagged_reason = ""
        credit.save(update_fields=["flagged_reason", "updated_at"])
        return _event(credit, Kind.FLAGGED, by=by, note=note or f"Cleared: {reason}")


def credits_flag_for_refund(*, order, amount: Decimal, reference: str) -> int:
    """Flag the order's open credits for staff: a refund arrived that no session carries."""
    if _refunding_sessions.get():
        return 0
    reason = f"S${amount} refunded on the order ({reference}): apply it to sessions if due"
    flagged = 0
    with transaction.atomic():
        credits = PackageCredit.objects.select_for_update().filter(order=order)
        for credit in credits.exclude(status=Status.REFUNDED):
            credit.flagged_reason = reason[:255]
            credit.save(update_fields=["flagged_reason", "updated_at"])
            _event(credit, Kind.FLAGGED, note=reason, reference=reference)
            flagged += 1
    return flagged


def credits_freeze_for_order(*, order, reason: str, by=None) -> int:
    """Freeze the order's active credits (a payment dispute): no redemption until unfrozen."""
    frozen = 0
    with transaction.atomic():
        for credit in PackageCredit.objects.select_for_update().filter(
            order=order, status=Status.ACTIVE
        ):
            credit.status = Status.FROZEN
            credit.frozen_reason = reason[:255]
            credit.save(update_fields=["status", "frozen_reason", "updated_at"])
            _event(credit, Kind.FROZEN, by=by, note=reason)
            frozen += 1
    return frozen


def credits_unfreeze_for_order(*, order, note: str = "", by=None) -> int:
    """Unfreeze the order's frozen credits (the dispute was won)."""
    unfrozen = 0
    with transaction.atomic():
        for credit in PackageCredit.objects.select_for_update().filter(
            order=order, status=Status.FROZEN
        ):
            credit.frozen_reason = ""
            _event(credit, Kind.UNFROZEN, by=by, note=note)
            _settle(credit, by=by)
            credit.save(update_fields=["status", "frozen_reason", "updated_at"])
            unfrozen += 1
    return unfrozen


def credits_dispute_close(*, order, won: bool, reference: str = "") -> int:
    """Close a dispute: unfreeze when won; when lost, mark unused sessions refunded."""
    if won:
        return credits_unfreeze_for_order(order=order, note=f"Dispute won {reference}".strip())
    closed = 0
    with transaction.atomic():
        credits_unfreeze_for_order(order=order, note=f"Dispute lost {reference}".strip())
        for credit_id in order.credits.values_list("pk", flat=True):
            credit = PackageCredit.objects.get(pk=credit_id)
            if credit_refund_quote(credit=credit)[0]:
                credit_refund_unused(
                    credit_id=credit_id,
                    by=None,
                    note="Dispute lost",
                    through_stripe=False,
                    reference=reference,
                )
                closed += 1
    return closed
