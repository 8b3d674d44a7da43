"""The unused-sessions liability: hand-made credits give the figures an accountant checks."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from shop.core.selectors import CLINIC_TZ
from shop.packages import disputes, services
from shop.packages.liability import liability_as_of, liability_for_period
from shop.packages.models import CreditEvent
from tests.factories import paid_order_create

URL = "/dashboard/sessions/liability/"


def _at(month: int, day: int, hour: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=CLINIC_TZ)


@pytest.fixture
def book(catalogue, clinic_staff):
    """Three packages sold on 10 October; used, refunded and expired by the end of November."""
    order = paid_order_create(
        items=[("TUI-5", 1), ("YQG-5", 1), ("TUI-1", 1)], placed_at=_at(10, 10)
    )
    tuina, yqg, single = (order.credits.get(sku=sku) for sku in ("TUI-5", "YQG-5", "TUI-1"))
    for credit in (tuina, tuina, yqg):
        services.credit_redeem(credit_id=credit.pk, by=clinic_staff, at=_at(10, 20))
    refund = disputes.credit_refund_unused(
        credit_id=tuina.pk, by=clinic_staff, through_stripe=False, reference="re_hand"
    )
    CreditEvent.objects.filter(pk=refund.pk).update(created_at=_at(11, 5))
    assert single.valid_until == datetime.date(2026, 11, 9)
    services.credits_expire(today=datetime.date(2026, 11, 10))
    return order


def test_the_liability_as_of_a_day_by_package_with_gst(book):
    table = liability_as_of(day=datetime.date(2026, 11, 30)).table()

    assert table[0][-3:] == ["Amount outstanding incl. GST", "GST", "Amount outstanding excl. GST"]
    package, sku, per, credits, sessions, incl, gst, excl = table[1]
    assert (sku, per, credits, sessions) == ("YQG-5", 5, 1, 4)
    # 312.88 for five sessions: the first three cost 62.58, the other two 62.57.
    assert (incl, gst, excl) == (Decimal("250.30"), Decimal("20.67"), Decimal("229.63"))
    assert table[-1] == [
        "Total",
        "",
        None,
        1,
        4,
        Decimal("250.30"),
        Decimal("20.67"),
        Decimal("229.63"),
    ]
    october = liability_as_of(day=datetime.date(2026, 10, 31)).table()
    assert october[-1][3:6] == [3, 8, Decimal("577.10")]


def test_a_period_gives_opening_sold_redeemed_refunded_expired_and_closing(book):
    total = liability_for_period(
        date_from=datetime.date(2026, 10, 1), date_to=datetime.date(2026, 11, 30)
    ).total()

    assert total == {
        "opening": [0, Decimal("0.00")],
        "sold": [11, Decimal("798.88")],
        "redeemed": [3, Decimal("221.78")],
        "refunded": [3, Decimal("238.80")],
        "expired": [1, Decimal("88.00")],
        "closing": [4, Decimal("250.30")],
    }
    november = liability_for_period(
        date_from=datetime.date(2026, 11, 1), date_to=datetime.date(2026, 11, 30)
    ).total()
    assert november["opening"] == [8, Decimal("577.10")]
    assert november["closing"] == total["closing"]
    assert november["sold"] == november["redeemed"] == [0, Decimal("0.00")]


def test_the_commands_file_equals_the_download(book, client, accountant, tmp_path):
    client.force_login(accountant)
    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"liability.{fmt}"
        call_command(
            "export_liability", "--as-of", "2026-11-30", "--format", fmt, "-o", str(target)
        )
        download = client.get(URL, {"as_of": "2026-11-30", "format": fmt})
        assert download.status_code == 200
        if fmt == "csv":
            assert download.content == target.read_bytes()
            assert "YQG-5" in download.content.decode("utf-8-sig")
        else:

            def cells(content):
                sheet = openpyxl.load_workbook(io.BytesIO(content)).active
                return [list(row) for row in sheet.iter_rows(values_only=True)]

            assert cells(download.content) == cells(target.read_bytes())
    period = tmp_path / "period.csv"
    call_command(
        "export_liability", "--from", "2026-11-01", "--to", "2026-11-30", "-o", str(period)
    )
    assert "Opening sessions" in period.read_text(encoding="utf-8-sig")


def test_the_page_shows_the_table_and_refuses_bad_days(book, client, accountant):
    client.force_login(accountant)
    page = client.get(URL, {"as_of": "2026-11-30"})
    assert page.status_code == 200 and "250.30" in page.content.decode()
    assert client.get(URL, {"date_from": "2026-11-01"}).status_code == 400
    assert client.get(URL, {"as_of": "30/11/2026x"}).status_code == 400


def test_clinic_staff_and_patients_do_not_get_the_liability(book, client, clinic_staff, patient):
    for user in (clinic_staff, patient):
        client.force_login(user)
        assert client.get(URL).status_code in (302, 403)


def test_the_report_runs_as_many_queries_for_many_credits_as_for_few(
    book, django_assert_max_num_queries
):
    paid_order_create(items=[("TUI-5", 4), ("ACU-10", 3)], placed_at=_at(11, 2))
    with django_assert_max_num_queries(1):
        liability_as_of(day=datetime.date(2026, 11, 30)).table()
    with django_assert_max_num_queries(2):
        liability_for_period(
            date_from=datetime.date(2026, 11, 1), date_to=datetime.date(2026, 11, 30)
        ).table()
