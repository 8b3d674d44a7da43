"""Ten front desks redeem one 5-session credit at the same moment, on PostgreSQL."""

import threading

import pytest
from django.db import connection

from shop.packages import services
from shop.packages.models import PackageCredit
from tests.factories import paid_order_create


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_redemptions_of_five_sessions_give_five_and_five_refusals(
    catalogue, clinic_staff
):
    credit = paid_order_create(items=[("TUI-5", 1)]).credits.get()
    start = threading.Barrier(10)
    outcomes: list[str] = []
    lock = threading.Lock()

    def desk() -> None:
        try:
            start.wait()
            try:
                services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
                outcome = "redeemed"
            except services.CreditRefused as refusal:
                outcome = str(refusal)
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=desk) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("redeemed") == 5
    refusals = [o for o in outcomes if o != "redeemed"]
    assert len(refusals) == 5 and all(o.startswith("No sessions left") for o in refusals)
    credit = PackageCredit.objects.get(pk=credit.pk)
    assert (credit.sessions_left, credit.status) == (0, "used_up")
    assert credit.events.filter(kind="redeemed").count() == 5
