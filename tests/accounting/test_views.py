"""The dashboard's Accounting export page: who may use it, bad ranges, the files."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from shop.accounting.columns import LINE_COLUMNS, MONEY
from shop.accounting.dashboard.forms import ExportForm, preset_range
from shop.accounting.jobs import export_job_run
from shop.accounting.models import ExportJob, ExportLog
from shop.accounting.rows import ExportSpec
from shop.accounting.services import export_job_create
from shop.core.selectors import CLINIC_TZ
from tests.factories import UserFactory, paid_order_create, refund_record, site_discount_create

EXPORT_URL = "/dashboard/accounting/export/"
OCTOBER = {"preset": "custom", "date_from": "2026-10-01", "date_to": "2026-10-31"}


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def october_orders(catalogue):
    site_discount_create(percent=10)
    orders = [
        paid_order_create(
            number="OCT-1", items=[("TUI-5", 1), ("WP-MOXA", 2)], placed_at=datetime(
                2026, 10, 2, 9, tzinfo=CLINIC_TZ), shipping_incl=Decimal("5.00"), discount=True,
        ),
        paid_order_create(
            number="OCT-2", items=[("KWT-10", 1)],
            placed_at=datetime(2026, 10, 20, 18, tzinfo=CLINIC_TZ),
        ),
        paid_order_create(
            number="OCT-3", items=[("WP-GUAS", 1), ("WP-SOAK", 3)],
            placed_at=datetime(2026, 10, 31, 22, tzinfo=CLINIC_TZ), shipping_incl=Decimal("5.00"),
        ),
    ]  # fmt: skip
    refund_record(
        order=orders[1],
        amount=Decimal("88.80"),
        refunded_at=datetime(2026, 11, 2, tzinfo=CLINIC_TZ),
    )
    return orders


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# --- Who may see it ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        EXPORT_URL,
        "/dashboard/accounting/jobs/00000000-0000-0000-0000-000000000000/",
        "/dashboard/accounting/jobs/00000000-0000-0000-0000-000000000000/status/",
        "/dashboard/accounting/jobs/00000000-0000-0000-0000-000000000000/download/",
    ],
)
def test_clinic_staff_and_patients_are_refused(client, clinic_staff, patient, url):
    for user in (clinic_staff, patient):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, OCTOBER).status_code in (403, 405)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("dashboard:login"))
    assert client.post(EXPORT_URL, OCTOBER).status_code == 302
    assert not ExportLog.objects.exists()


def test_accountant_and_superuser_open_the_page(client, accountant, superuser):
    for user in (accountant, superuser):
        client.force_login(user)
        response = client.get(EXPORT_URL)
        assert response.status_code == 200
        assert b"Export orders" in response.content
        assert b"This quarter" in response.content


def test_menu_shows_accounting_to_accountants_only(client, accountant, clinic_staff):
    client.force_login(accountant)
    assert EXPORT_URL.encode() in client.get("/dashboard/").content
    client.force_login(clinic_staff)
    assert EXPORT_URL.encode() not in client.get("/dashboard/").content


# --- Bad ranges ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"date_from": "2026-10-31", "date_to": "2026-10-01"},
            "The From date must not be after the To date.",
        ),
        ({"date_from": "2026-13-45", "date_to": "2026-10-01"}, "Enter a valid date."),
        ({"date_from": "yesterday", "date_to": "2026-10-01"}, "Enter a valid date."),
        ({"date_from": "2026-10-01", "date_to": ""}, "A custom range needs both"),
        (
            {"date_from": "2025-01-01", "date_to": "2026-01-02"},
            "A CSV download covers at most 366 days",
        ),
    ],
)
def test_bad_ranges_are_form_errors(client, accountant, data, message):
    client.force_login(accountant)
    response = client.post(
        EXPORT_URL, {"preset": "custom", "per": "order", "format": "csv", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExportLog.objects.exists()
    assert not ExportJob.objects.exists()


def test_a_year_of_366_days_downloads(client, accountant):
    client.force_login(accountant)
    response = client.post(
        EXPORT_URL,
        {"preset": "custom", "date_from": "2024-01-01", "date_to": "2024-12-31", "per": "order",
         "format": "csv"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_presets_are_singapore_calendar_ranges():
    today = date(2026, 11, 17)
    assert preset_range(preset="this_month", today=today) == (date(2026, 11, 1), today)
    assert preset_range(preset="this_quarter", today=today) == (date(2026, 10, 1), today)
    assert preset_range(preset="last_month", today=date(2026, 1, 5)) == (
        date(2025, 12, 1),
        date(2025, 12, 31),
    )
    form = ExportForm({"preset": "last_month", "per": "line", "format": "csv"}, today=today)
    assert form.is_valid(), form.errors
    spec = form.cleaned_data["spec"]
    assert (spec.date_from, spec.date_to) == (date(2026, 10, 1), date(2026, 10, 31))


# --- The files --------------------------------------------------------------------------


def test_csv_download_streams_and_is_logged(client, accountant, october_orders):
    client.force_login(accountant)
    response = client.post(EXPORT_URL, {**OCTOBER, "per": "line", "format": "csv"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"] == (
        'attachment; filename="order-lines-2026-10-01-to-2026-10-31.csv"'
    )
    rows = csv_rows(b"".join(response.streaming_content))
    header, data, total = rows[0], rows[1:-1], rows[-1]
    assert header[0] == "Order number" and header[-1] == "Line excl. GST"
    # OCT-1: 2 lines + shipping; OCT-2: 1 line; OCT-3: 2 lines + shipping.
    assert [row[0] for row in data] == ["OCT-1"] * 3 + ["OCT-2"] + ["OCT-3"] * 3
    assert total[0] == "TOTAL"
    log = ExportLog.objects.get()
    assert (log.user, log.origin, log.per, log.format) == (accountant, "dashboard", "line", "csv")
    assert (log.date_from, log.date_to, log.row_count, log.order_count) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        7,
        3,
    )
    assert log.completed_at is not None
    # The log is on the page.
    assert b"accountant@example.com" in client.get(EXPORT_URL).content


@pytest.mark.parametrize("per", ["order", "line"])
def test_xlsx_has_the_same_numbers_as_the_csv(client, accountant, october_orders, per):
    client.force_login(accountant)
    csv_data = csv_rows(
        b"".join(
            client.post(EXPORT_URL, {**OCTOBER, "per": per, "format": "csv"}).streaming_content
        )
    )
    response = client.post(EXPORT_URL, {**OCTOBER, "per": per, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Order lines" if per == "line" else "Orders", "Totals"]
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    header = csv_data[0]
    assert list(xlsx_rows[0]) == header
    assert len(xlsx_rows) == len(csv_data) - 1  # the CSV's totals row is the Totals sheet

    money = {column.header for column in LINE_COLUMNS if column.kind == MONEY}

    def as_csv(value, column):
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.isoformat(sep=" ")
        if column in money:
            return f"{value:.2f}"
        return str(value)

    for xlsx_row, csv_row in zip(xlsx_rows[1:], csv_data[1:-1], strict=True):
        assert [as_csv(v, c) for v, c in zip(xlsx_row, header, strict=True)] == csv_row
    # Typed cells: dates are dates, money is a number shown with two decimals.
    first = {c.column_letter: c for c in sheet[2]}
    placed, total = first["B"], first[chr(ord("A") + header.index("Total incl. GST"))]
    assert isinstance(placed.value, datetime) and placed.number_format == "yyyy-mm-dd hh:mm:ss"
    assert isinstance(total.value, int | float) and total.number_format == "0.00"

    totals = {row[0]: row[1] for row in workbook["Totals"].iter_rows(min_row=2, values_only=True)}
    csv_total = dict(zip(header, csv_data[-1], strict=True))
    assert totals["Orders"] == 3
    for label in ("Total incl. GST", "GST", "Subtotal excl. GST", "Refunded amount", "Discount"):
        assert f"{totals[label]:.2f}" == csv_total[label]


@pytest.mark.parametrize(("per", "fmt"), [("order", "csv"), ("line", "csv"), ("line", "xlsx")])
def test_command_file_equals_the_download(client, accountant, october_orders, tmp_path, per, fmt):
    client.force_login(accountant)
    response = client.post(EXPORT_URL, {**OCTOBER, "per": per, "format": fmt})
    download = b"".join(response.streaming_content) if response.streaming else response.content
    output = tmp_path / f"oct.{fmt}"
    call_command(
        "export_orders", "--from", "2026-10-01", "--to", "2026-10-31", "--per", per,
        "--format", fmt, "-o", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    if fmt == "csv":
        assert output.read_bytes() == download
    else:  # an XLSX zip carries its creation time: compare every sheet's cells
        ours, theirs = load_workbook(output), load_workbook(io.BytesIO(download))
        assert ours.sheetnames == theirs.sheetnames
        for name in ours.sheetnames:
            assert list(ours[name].values) == list(theirs[name].values)
    assert ExportLog.objects.filter(origin="command", row_count__isnull=False).count() == 1


def test_command_rejects_bad_ranges(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("export_orders", "--from", "2026-02-30", "--to", "2026-03-01", "-o", "x")
    with pytest.raises(CommandError, match="must not be after"):
        call_command("export_orders", "--from", "2026-03-02", "--to", "2026-03-01", "-o", "x")


def test_unfinished_job_reports_its_progress_and_has_no_file(client, accountant):
    job = ExportJob.objects.create(
        user=accountant,
        date_from=date(2026, 10, 1),
        date_to=date(2026, 10, 31),
        per="order",
        total_orders=40,
        processed_orders=10,
        status=ExportJob.Status.RUNNING,
    )
    client.force_login(accountant)
    page = client.get(f"/dashboard/accounting/jobs/{job.pk}/")
    assert page.status_code == 200
    assert b'aria-valuenow="25"' in page.content
    status = client.get(f"/dashboard/accounting/jobs/{job.pk}/status/").json()
    assert status == {
        "status": "running",
        "status_display": "Running",
        "progress": 25,
        "processed": 10,
        "total": 40,
        "download_url": None,
    }
    assert client.get(f"/dashboard/accounting/jobs/{job.pk}/download/").status_code == 404


def test_large_xlsx_request_starts_a_background_job(client, accountant, october_orders, settings):
    settings.ACCOUNTING_XLSX_SYNC_MAX_ORDERS = 2
    client.force_login(accountant)
    form = {**OCTOBER, "per": "order"}
    # CSV streams whatever the size; XLSX over the limit becomes a job.
    assert client.post(EXPORT_URL, {**form, "format": "csv"}).streaming
    response = client.post(EXPORT_URL, {**form, "format": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/accounting/jobs/{job.pk}/"
    assert (job.user, job.total_orders, job.status) == (accountant, 3, "pending")


# --- Background exports are private files -------------------------------------------------

PUBLIC_NAME = "accounting/exports/order-lines-2026-10-01-to-2026-10-31.xlsx"


@pytest.fixture
def finished_job(accountant, october_orders):
    spec = ExportSpec(
        date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), per="line", format="xlsx"
    )
    job = export_job_create(spec=spec, user=accountant)
    return export_job_run(job_id=job.pk)


def test_background_export_is_saved_privately_under_an_unguessable_name(finished_job, settings):
    name = finished_job.file.name
    assert name.startswith("accounting/exports/") and name.endswith(
        "-order-lines-2026-10-01-to-2026-10-31.xlsx"
    )
    assert len(name) - len(PUBLIC_NAME) > 30  # a random token of 32 characters
    assert (Path(settings.PRIVATE_ROOT) / name).is_file()
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    assert (
        not Path(settings.PRIVATE_ROOT)
        .resolve()
        .is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    )


def test_nobody_but_the_accountant_gets_the_export(
    client, finished_job, accountant, patient, clinic_staff
):
    download = f"/dashboard/accounting/jobs/{finished_job.pk}/download/"
    for path in (f"/media/{PUBLIC_NAME}", f"/media/{finished_job.file.name}"):
        assert client.get(path).status_code == 404
    response = client.get(download)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("dashboard:login"))
    for user in (patient, clinic_staff):
        client.force_login(user)
        response = client.get(download)
        assert response.status_code == 403 and not response.has_header("Content-Disposition")

    client.force_login(accountant)
    response = client.get(download)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="order-lines-2026-10-01-to-2026-10-31.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Order lines"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == (
        ["OCT-1"] * 3 + ["OCT-2"] + ["OCT-3"] * 3
    )


def test_behind_nginx_the_download_is_an_internal_redirect(
    client, finished_job, accountant, settings
):
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = "/private-files/"
    client.force_login(accountant)
    response = client.get(f"/dashboard/accounting/jobs/{finished_job.pk}/download/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/private-files/{finished_job.file.name}"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content == b""  # nginx sends the file, from its internal location


def test_package_liability_sits_under_accounting_and_is_the_accountants(
    client, accountant, clinic_staff
):
    liability = reverse("packages-dashboard:packages-liability")
    client.force_login(accountant)
    home = client.get(reverse("dashboard:index")).content.decode()
    accounting = home.split("Accounting\n", 1)[1].split("</li>", 1)[0]
    assert f'href="{liability}"' in accounting and "Package liability" in accounting
    assert client.get(liability).status_code == 200

    client.force_login(clinic_staff)
    assert client.get(liability).status_code == 403
    assert f'href="{liability}"' not in client.get(reverse("dashboard:index")).content.decode()
