"""Dashboard -> Accounting -> Documents: a month's register and ZIP, for accountants only."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.core.selectors import CLINIC_TZ
from shop.invoices.models import DocumentArchive, DocumentKind
from tests.factories import UserFactory, paid_order_create, refund_record, site_discount_create
from tests.fixtures.services import wait_until

PAGE = "/dashboard/accounting/documents/"
REGISTER = "/dashboard/accounting/documents/register/"
ARCHIVES = "/dashboard/accounting/documents/archives/"


def _this_month():
    today = timezone.localdate(timezone=CLINIC_TZ)
    return today.replace(day=1), today


def _csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def archive(db):
    return DocumentArchive.objects.create(month=_this_month()[0])


def _urls(archive) -> list[str]:
    return [PAGE, f"{REGISTER}?month=2026-11", ARCHIVES] + [
        f"{ARCHIVES}{archive.pk}/{tail}" for tail in ("", "status/", "download/")
    ]


def test_clinic_staff_and_patients_are_refused(client, clinic_staff, patient, archive):
    for user in (clinic_staff, patient):
        client.force_login(user)
        for url in _urls(archive):
            assert client.get(url).status_code in (403, 405), url
        assert client.post(ARCHIVES, {"month": "2026-11"}).status_code == 403
    assert DocumentArchive.objects.count() == 1


def test_anonymous_is_sent_to_login(client, archive):
    for url in _urls(archive):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("dashboard:login"))
    assert client.post(ARCHIVES, {"month": "2026-11"}).status_code == 302
    assert DocumentArchive.objects.count() == 1


def test_accountants_and_superusers_find_it_in_the_menu(
    client, accountant, superuser, clinic_staff
):
    for user in (accountant, superuser):
        client.force_login(user)
        assert PAGE.encode() in client.get("/dashboard/").content
        page = client.get(PAGE)
        assert page.status_code == 200
        assert b"Download the register (CSV)" in page.content
        assert f'value="{_this_month()[0]:%Y-%m}"'.encode() in page.content
    client.force_login(clinic_staff)
    assert PAGE.encode() not in client.get("/dashboard/").content


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-13", "Enter a month as YYYY-MM"),
        ("last month", "Enter a month as YYYY-MM"),
        ("", "This field is required."),
        ("2999-01", "Pick a month from 2000 up to this month."),
    ],
)
def test_a_bad_month_is_a_form_error(client, accountant, month, message):
    client.force_login(accountant)
    for response in (
        client.get(REGISTER, {"month": month}),
        client.post(ARCHIVES, {"month": month}),
    ):
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not DocumentArchive.objects.exists()


def test_the_register_download_adds_up_to_the_export_of_the_same_month(
    client, accountant, catalogue
):
    site_discount_create(percent=10)
    orders = [
        paid_order_create(
            items=[("TUI-5", 1), ("WP-MOXA", 2)], shipping_incl=Decimal("6.00"), discount=True
        ),
        paid_order_create(items=[("KWT-10", 1)]),
    ]
    refund_record(order=orders[1], amount=Decimal("40.05"), refunded_at=timezone.now())
    first, today = _this_month()
    client.force_login(accountant)

    response = client.get(REGISTER, {"month": f"{first:%Y-%m}"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="tax-documents-register-{first:%Y-%m}.csv"'
    )
    register = _csv(response.content)
    export_response = client.post(
        "/dashboard/accounting/export/",
        {
            "preset": "custom",
            "date_from": first.isoformat(),
            "date_to": today.isoformat(),
            "per": "order",
            "format": "csv",
        },
    )
    export = _csv(b"".join(export_response.streaming_content))
    header, total = export[0], export[-1]

    def exported(name: str) -> Decimal:
        return Decimal(total[header.index(name)])

    register_total = register[-1]
    assert register_total[0] == "TOTAL"
    assert Decimal(register_total[7]) == exported("Net received")
    invoices = [row for row in register[1:-1] if row[2] == "Tax Invoice"]
    assert sum(Decimal(row[7]) for row in invoices) == exported("Total incl. GST")
    assert sum(Decimal(row[6]) for row in invoices) == exported("GST")
    assert sum(Decimal(row[5]) for row in invoices) == exported("Subtotal excl. GST")
    notes = [row for row in register[1:-1] if row[2] == "Credit Note"]
    assert [Decimal(row[7]) for row in notes] == [-exported("Refunded amount")]
    # The export names each order's documents, as the register does.
    for row in export[1:-1]:
        order = next(o for o in orders if o.number == row[0])
        invoice = order.documents.get(kind=DocumentKind.INVOICE)
        assert row[header.index("Tax invoice number")] == invoice.number
        notes_of = list(order.documents.filter(kind=DocumentKind.CREDIT_NOTE))
        assert row[header.index("Credit note numbers")] == "; ".join(n.number for n in notes_of)


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_requested_zip_followed_by_the_progress_page(
    client, accountant, clinic_staff, catalogue, celery_worker_process
):
    order = paid_order_create(items=[("ACU-5", 1)], guest_email="ong@example.com")
    refund_record(order=order, amount=Decimal("10.00"), refunded_at=timezone.now())
    month = _this_month()[0]
    client.force_login(accountant)

    response = client.post(ARCHIVES, {"month": f"{month:%Y-%m}"})
    archive = DocumentArchive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{ARCHIVES}{archive.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page
    assert '<script src="/static/shop/js/progress.js"></script>' in page

    def finished():
        data = client.get(f"{ARCHIVES}{archive.pk}/status/").json()
        return data if data["status"] == "done" else None

    data = wait_until(finished, timeout=90, what="the documents ZIP")
    assert (data["processed"], data["total"], data["progress"]) == (2, 2, 100)
    download = client.get(data["download_url"])
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as bundle:
        names = set(bundle.namelist())
    assert names == {d.filename for d in order.documents.all()} | {f"register-{month:%Y-%m}.csv"}
    client.force_login(clinic_staff)
    assert client.get(data["download_url"]).status_code == 403
