"""Dashboard -> Sessions: the front desk finds a credit and redeems; who may do what."""

from decimal import Decimal

from django.urls import reverse

from shop.packages import disputes, selectors
from shop.packages.models import PackageCredit
from tests.factories import paid_order_create

LIST = "/dashboard/sessions/"


def _redeem_url(credit) -> str:
    return reverse("packages-dashboard:packages-credit-redeem", kwargs={"code": credit.code})


def test_staff_find_a_credit_by_its_code_and_redeem_one_session(client, catalogue, clinic_staff):
    credit = paid_order_create(items=[("TUI-5", 1)], guest_email="mei@example.com").credits.get()
    client.force_login(clinic_staff)

    page = client.get(LIST, {"q": credit.code.lower()})
    html = page.content.decode()
    assert page.status_code == 200
    assert "5 of 5 left" in html and "Redeem one session" in html and "Active" in html

    response = client.post(_redeem_url(credit), {"next": f"{LIST}?q={credit.code}"}, follow=True)

    assert "4 of 5 sessions left" in response.content.decode()
    credit.refresh_from_db()
    assert credit.sessions_left == 4
    assert credit.events.get(kind="redeemed").by == clinic_staff


def test_a_scanned_qr_url_phone_email_name_and_order_number_find_the_credit(catalogue):
    order = paid_order_create(items=[("WP-MOXA", 1), ("TUI-5", 1)], guest_email="mei@example.com")
    credit = order.credits.get()
    assert credit.phone  # the delivery address's phone

    for query in (
        selectors.credit_dashboard_url(code=credit.code),
        f"{credit.code[:4]} {credit.code[4:]}",
        "+65 9123 4567",
        "MEI@example.com",
        "Mei Ling",
        order.number,
    ):
        assert [c.pk for c in selectors.credits_search(query=query)] == [credit.pk], query


def test_a_refused_redemption_says_why(client, catalogue, clinic_staff):
    credit = paid_order_create(items=[("TUI-5", 1)]).credits.get()
    disputes.credits_freeze_for_order(order=credit.order, reason="Dispute dp_9 opened")
    client.force_login(clinic_staff)

    html = client.get(LIST).content.decode()
    assert "Dispute dp_9 opened" in html  # frozen credits are shown with why

    response = client.post(_redeem_url(credit), follow=True)
    assert "frozen (Dispute dp_9 opened)" in response.content.decode()
    assert PackageCredit.objects.get(pk=credit.pk).sessions_left == 5


def test_staff_undo_and_extend_from_the_credits_page(client, catalogue, clinic_staff):
    credit = paid_order_create(items=[("TUI-5", 1)]).credits.get()
    client.force_login(clinic_staff)
    client.post(_redeem_url(credit))
    redemption = credit.events.get(kind="redeemed")
    detail = reverse("packages-dashboard:packages-credit-detail", kwargs={"code": credit.code})

    undo = reverse(
        "packages-dashboard:packages-credit-undo",
        kwargs={"code": credit.code, "event_id": redemption.pk},
    )
    assert "Give a reason" in client.post(undo, {"reason": ""}, follow=True).content.decode()
    client.post(undo, {"reason": "Redeemed on the wrong credit"})
    extend = reverse("packages-dashboard:packages-credit-extend", kwargs={"code": credit.code})
    new_day = credit.valid_until.replace(year=credit.valid_until.year + 1)
    assert client.post(extend, {"valid_until": "not a date", "reason": "x"}).status_code == 302
    client.post(extend, {"valid_until": new_day.isoformat(), "reason": "Patient was abroad"})

    html = client.get(detail).content.decode()
    credit.refresh_from_db()
    assert (credit.sessions_left, credit.valid_until) == (5, new_day)
    assert "Redeemed on the wrong credit" in html and "Patient was abroad" in html
    assert "(undone)" in html


def test_accountants_read_credits_but_cannot_redeem(client, catalogue, accountant):
    credit = paid_order_create(items=[("TUI-5", 1)]).credits.get()
    client.force_login(accountant)

    page = client.get(LIST, {"q": credit.code})
    assert page.status_code == 200 and "Redeem one session" not in page.content.decode()
    response = client.post(_redeem_url(credit))

    assert response.status_code in (302, 403)
    assert PackageCredit.objects.get(pk=credit.pk).sessions_left == 5


def test_patients_and_visitors_get_no_sessions_page(client, catalogue, patient):
    credit = paid_order_create(items=[("TUI-5", 1)]).credits.get()
    assert client.get(LIST).status_code == 302
    client.force_login(patient)
    assert client.get(LIST).status_code in (302, 403)
    client.post(_redeem_url(credit))
    assert PackageCredit.objects.get(pk=credit.pk).sessions_left == 5


def test_redeeming_only_takes_posts_and_unknown_codes_are_not_found(
    client, catalogue, clinic_staff
):
    credit = paid_order_create(items=[("TUI-5", 1)]).credits.get()
    client.force_login(clinic_staff)
    assert client.get(_redeem_url(credit)).status_code == 405
    missing = reverse("packages-dashboard:packages-credit-redeem", kwargs={"code": "ZZZZZZZZ"})
    assert client.post(missing).status_code == 404


def test_the_sessions_page_runs_as_many_queries_for_many_credits_as_for_one(
    client, catalogue, clinic_staff, django_assert_max_num_queries
):
    paid_order_create(items=[("TUI-5", 1)], guest_email="many@example.com")
    client.force_login(clinic_staff)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(LIST, {"q": "many@example.com"})
    paid_order_create(items=[("TUI-5", 3), ("ACU-10", 2)], guest_email="many@example.com")

    with django_assert_max_num_queries(len(one)):
        page = client.get(LIST, {"q": "many@example.com"})
    assert page.content.decode().count("Redeem one session") == 6


def test_staff_apply_a_refund_made_at_stripe_to_sessions_and_the_flag_clears(
    client, catalogue, clinic_staff
):
    from django.utils import timezone

    from tests.factories import refund_record

    order = paid_order_create(items=[("TUI-5", 1)])
    refund_record(
        order=order, amount=Decimal("79.60"), refunded_at=timezone.now(), reference="re_x"
    )
    credit = order.credits.get()
    client.force_login(clinic_staff)
    assert "S$79.60 refunded on the order (re_x)" in client.get(LIST).content.decode()

    flag = reverse("packages-dashboard:packages-credit-flag", kwargs={"code": credit.code})
    assert client.post(flag, {"sessions": "-1"}).status_code == 302
    client.post(flag, {"sessions": "1"})

    credit.refresh_from_db()
    assert (credit.sessions_left, credit.sessions_refunded, credit.flagged_reason) == (4, 1, "")
    refunded = credit.events.get(kind="refunded")
    assert (refunded.amount, refunded.reference) == (-Decimal("79.60"), "re_x")
    assert "re_x" not in client.get(LIST).content.decode()
