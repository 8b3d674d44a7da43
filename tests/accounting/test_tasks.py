"""Accounting tasks on a real Celery worker process, mailing a real SMTP server."""

import csv
import io
import os
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import load_workbook

from shop.accounting.exports import month_previous
from shop.accounting.models import ExportJob, ExportLog
from shop.accounting.tasks import accounting_export_files_purge, accounting_monthly_export_send
from shop.core.selectors import CLINIC_TZ
from shop.core.storage import private_storage
from tests.factories import paid_order_create, refund_record
from tests.fixtures.services import wait_until


def sgt(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CLINIC_TZ)


def test_beat_task_emails_last_months_export(celery_worker_process, smtp_server, catalogue):
    today = timezone.localdate(timezone=CLINIC_TZ)
    first, last = month_previous(today=today)
    paid_order_create(number="LAST-1", items=[("TUI-5", 1)], placed_at=sgt(first, 0, 5))
    refunded = paid_order_create(
        number="LAST-2",
        items=[("WP-MOXA", 2), ("ACU-1", 1)],
        placed_at=sgt(last, 23, 55),
        shipping_incl=Decimal("5.00"),
    )
    refund_record(order=refunded, amount=Decimal("10.00"), refunded_at=sgt(last, 23, 58))
    paid_order_create(
        number="BEFORE", items=[("TUI-1", 1)], placed_at=sgt(first, 0) - timedelta(minutes=1)
    )
    paid_order_create(number="THIS", items=[("TUI-1", 1)], placed_at=sgt(today.replace(day=1), 0))

    accounting_monthly_export_send.apply_async()  # as beat would: to the broker, not eagerly

    message = smtp_server.wait_for_to(settings.ACCOUNTANTS_EMAIL, timeout=60)
    assert len(smtp_server.to(settings.ACCOUNTANTS_EMAIL)) == 1
    assert f"{first:%B %Y}" in message["Subject"]
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    stem = f"order-lines-{first.isoformat()}-to-{last.isoformat()}"
    liability_name = f"package-liability-{first.isoformat()}-to-{last.isoformat()}.csv"
    assert set(attachments) == {f"{stem}.csv", f"{stem}.xlsx", liability_name}

    csv_bytes = attachments[f"{stem}.csv"]
    csv_bytes = csv_bytes.encode("utf-8") if isinstance(csv_bytes, str) else csv_bytes
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert [row["Order number"] for row in rows] == [
        "LAST-1",
        "LAST-2",
        "LAST-2",
        "LAST-2",
        "TOTAL",
    ]
    total = rows[-1]
    assert Decimal(total["Refunded amount"]) == Decimal("10.00")
    assert Decimal(total["Total incl. GST"]) == Decimal("398.00") + refunded.total_incl_tax

    workbook = load_workbook(io.BytesIO(attachments[f"{stem}.xlsx"]))
    numbers = [row[0] for row in workbook["Order lines"].iter_rows(min_row=2, values_only=True)]
    assert numbers == ["LAST-1", "LAST-2", "LAST-2", "LAST-2"]
    assert "Net received" in message.get_body(("plain",)).get_content()
    assert liability_name in message.get_body(("plain",)).get_content()

    # Last month's package liability: the 5-session Tui Na package sold on its first day,
    # the single session bought the month before still owed, this month's sale left out.
    liability = attachments[liability_name]
    liability = liability.encode("utf-8") if isinstance(liability, str) else liability
    packages = {
        row["SKU"]: row for row in csv.DictReader(io.StringIO(liability.decode("utf-8-sig")))
    }
    tui_na = packages["TUI-5"]
    assert (tui_na["Opening sessions"], tui_na["Sold sessions"]) == ("0", "5")
    assert Decimal(tui_na["Sold S$"]) == Decimal(tui_na["Closing S$"]) == Decimal("398.00")
    single = packages["TUI-1"]
    assert (single["Opening sessions"], single["Sold sessions"]) == ("1", "0")
    total = packages[""]
    assert total["Package"] == "Total"
    assert Decimal(total["Closing S$"]) == Decimal(total["Opening S$"]) + Decimal(
        total["Sold S$"]
    ) - Decimal(total["Redeemed S$"]) - Decimal(total["Refunded S$"]) - Decimal(
        total["Expired S$"]
    )
    assert ExportLog.objects.filter(origin="monthly", row_count=4).count() == 2


def test_large_xlsx_is_built_by_the_worker_with_progress_and_email(
    celery_worker_process, smtp_server, catalogue, accountant, client, settings
):
    settings.ACCOUNTING_XLSX_SYNC_MAX_ORDERS = 2
    for index in range(5):
        paid_order_create(
            number=f"BIG-{index}",
            items=[("TUI-5", 1), ("WP-MOXA", index + 1)],
            placed_at=datetime(2026, 10, 3 + index, 12, tzinfo=CLINIC_TZ),
            shipping_incl=Decimal("5.00"),
        )
    client.force_login(accountant)
    form = {"preset": "custom", "date_from": "2026-10-01", "date_to": "2026-10-31", "per": "line"}
    response = client.post("/dashboard/accounting/export/", {**form, "format": "xlsx"})
    job = ExportJob.objects.get()
    job_url = f"/dashboard/accounting/jobs/{job.pk}/"
    assert response.status_code == 302 and response["Location"] == job_url
    page = client.get(job_url).content.decode()
    assert 'id="export-progress"' in page and "5 orders" in page

    status = wait_until(
        lambda: (data := client.get(f"{job_url}status/").json())["status"] == "done" and data,
        timeout=60,
        what="the export job to finish",
    )
    assert status["progress"] == 100 and status["processed"] == status["total"] == 5
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith(
        'attachment; filename="order-lines-2026-10-01-to-2026-10-31.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Order lines"]
    xlsx_rows = list(sheet.iter_rows(min_row=2, values_only=True))

    csv_download = client.post("/dashboard/accounting/export/", {**form, "format": "csv"})
    csv_rows = list(
        csv.reader(io.StringIO(b"".join(csv_download.streaming_content).decode("utf-8-sig")))
    )
    header, csv_rows = csv_rows[0], csv_rows[1:-1]
    assert len(xlsx_rows) == len(csv_rows) == 15  # 5 orders x (2 lines + shipping)
    money = [header.index(name) for name in ("Total incl. GST", "GST", "Line total incl. GST")]
    for xlsx_row, csv_row in zip(xlsx_rows, csv_rows, strict=True):
        assert xlsx_row[0] == csv_row[0]
        assert [f"{xlsx_row[i]:.2f}" for i in money] == [csv_row[i] for i in money]

    message = smtp_server.wait_for_to(accountant.email, timeout=30)
    assert job_url in message.get_content()
    job.refresh_from_db()
    assert job.log.row_count == 15 and job.log.origin == "job"


def test_worker_runs_the_accounting_tasks_under_their_old_names():
    from worker.celery import app

    app.loader.import_default_modules()  # what a starting worker does: autodiscovery
    for name in (
        "worker.tasks.accounting_monthly_export_send",
        "worker.tasks.accounting_export_job_run",
        "worker.tasks.accounting_export_jobs_sweep",
    ):
        assert app.tasks[name].__module__.startswith("shop.accounting.tasks.")
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(app.tasks)


def test_retention_task_deletes_old_export_files_and_keeps_new_ones(client, accountant, settings):
    settings.ACCOUNTING_EXPORT_RETENTION_DAYS = 30
    now = timezone.now()

    def job_with_file(days_ago: int) -> ExportJob:
        job = ExportJob.objects.create(
            user=accountant,
            date_from=date(2026, 10, 1),
            date_to=date(2026, 10, 31),
            per="order",
            format="xlsx",
            status=ExportJob.Status.DONE,
            finished_at=now - timedelta(days=days_ago),
        )
        job.file.save("orders-2026-10-01-to-2026-10-31.xlsx", ContentFile(b"PK xlsx"))
        return job

    old, new = job_with_file(31), job_with_file(29)
    old_path, new_path = (Path(settings.PRIVATE_ROOT) / j.file.name for j in (old, new))
    # A file no job names (a save that was interrupted), as old as the old job's.
    orphan = private_storage.save("accounting/exports/orphan.xlsx", ContentFile(b"PK"))
    orphan_path = Path(settings.PRIVATE_ROOT) / orphan
    moment = (now - timedelta(days=31)).timestamp()
    os.utime(orphan_path, (moment, moment))

    assert accounting_export_files_purge.apply().get() == 2

    assert not old_path.exists() and not orphan_path.exists()
    assert new_path.read_bytes() == b"PK xlsx"
    old.refresh_from_db()
    assert old.status == ExportJob.Status.EXPIRED and not old.file
    client.force_login(accountant)
    assert client.get(f"/dashboard/accounting/jobs/{old.pk}/download/").status_code == 404
    page = client.get(f"/dashboard/accounting/jobs/{old.pk}/").content.decode()
    assert "deleted 30 days after it was built" in page
    assert client.get(f"/dashboard/accounting/jobs/{new.pk}/download/").status_code == 200
