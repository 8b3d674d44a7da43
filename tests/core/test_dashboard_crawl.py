"""Every dashboard page, as every role: who gets it, who is turned away, and no 500.

The pages are the dashboard menu (OSCAR_DASHBOARD_NAVIGATION) and the pages of
one real object each (an order, a product, a condition, an article, an export).
Every link a role is shown on the dashboard pages it may open must open: a menu
entry, button or link that answers 403 is a defect.
"""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from shop.accounting.models import ExportJob
from shop.bookings.models import Practitioner
from shop.content.models import Article, Condition
from shop.invoices.models import DocumentArchive
from tests.factories import UserFactory, paid_order_create, site_discount_create

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")

ROLES = ["anonymous", "patient", "clinic_staff", "accountant", "superuser"]


def _menu_url_names(nodes=None) -> list[str]:
    names = []
    for node in settings.OSCAR_DASHBOARD_NAVIGATION if nodes is None else nodes:
        if node.get("url_name"):
            names.append(node["url_name"])
        names += _menu_url_names(node.get("children", []))
    return names


MENU = _menu_url_names()

# Menu pages clinic staff may not open (they run the catalogue, orders, offers and content).
STAFF_DENIED = {
    "dashboard:users-index",
    "dashboard:user-alert-list",
    "dashboard:page-list",
    "dashboard:reports-index",
    "accounting-dashboard:accounting-export",
    "packages-dashboard:packages-liability",
    "privacy-dashboard:privacy-request-list",  # superusers carry out account deletions
    "lockouts-dashboard:lockout-list",  # axes.delete_accessattempt: superusers by default
    "accounting-dashboard:accounting-documents",
}
# Menu pages accountants may open (they read orders and export them).
ACCOUNTANT_ALLOWED = {
    "dashboard:index",
    "dashboard:order-list",
    "dashboard:order-stats",
    "accounting-dashboard:accounting-export",
    "accounting-dashboard:accounting-documents",
    "payments-dashboard:payments-problem-list",
    # Package credits: read only; the liability report.
    "packages-dashboard:packages-credit-list",
    "packages-dashboard:packages-liability",
    # Bookings: the calendars and practitioners, read only.
    "bookings-dashboard:bookings-day",
    "bookings-dashboard:bookings-week",
    "bookings-dashboard:bookings-practitioners",
}


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def users(patient, clinic_staff, accountant, superuser):
    return {
        "anonymous": None,
        "patient": patient,
        "clinic_staff": clinic_staff,
        "accountant": accountant,
        "superuser": superuser,
    }


@pytest.fixture
def objects(catalogue, patient, accountant):
    """One of each object the dashboard pages take, with links between them."""
    site_discount_create(percent=10)
    order = paid_order_create(
        items=[("TUI-5", 1), ("WP-MOXA", 2)],
        user=patient,
        shipping_incl=Decimal("6.00"),
        discount=True,
    )
    product = Product.objects.get(slug="tuina-acupressure")
    condition = Condition.objects.create(
        name="Frozen shoulder", slug="frozen-shoulder", summary="Stiff shoulder."
    )
    condition.treatments.add(product)
    article = Article.objects.create(
        title="Shoulders", slug="shoulders", summary="About shoulders.", body="Text."
    )
    job = ExportJob.objects.create(
        user=accountant,
        date_from="2026-11-01",
        date_to="2026-11-30",
        per="order",
        status=ExportJob.Status.DONE,
    )
    job.file.save("crawl.xlsx", ContentFile(b"PK\x03\x04 xlsx"))
    archive = DocumentArchive.objects.create(
        month="2026-11-01", requested_by=accountant, status=DocumentArchive.Status.DONE
    )
    archive.file.save("tax-documents-2026-11.zip", ContentFile(b"PK\x03\x04 zip"))
    return {
        "archive": archive,
        "order": order,
        "product": product,
        "condition": condition,
        "article": article,
        "job": job,
    }


def _object_pages(objects) -> dict[str, str]:
    """Return the pages of real objects by URL name, with their URLs."""
    order, job, archive = objects["order"], objects["job"], objects["archive"]
    line = order.lines.first()
    return {
        "dashboard:order-detail": reverse("dashboard:order-detail", args=[order.number]),
        "dashboard:order-line-detail": reverse(
            "dashboard:order-line-detail", args=[order.number, line.pk]
        ),
        "dashboard:order-shipping-address": reverse(
            "dashboard:order-shipping-address", args=[order.number]
        ),
        "dashboard:catalogue-product": reverse(
            "dashboard:catalogue-product", args=[objects["product"].pk]
        ),
        "content-dashboard:content-condition-create": reverse(
            "content-dashboard:content-condition-create"
        ),
        "content-dashboard:content-condition-update": reverse(
            "content-dashboard:content-condition-update", args=[objects["condition"].pk]
        ),
        "content-dashboard:content-article-create": reverse(
            "content-dashboard:content-article-create"
        ),
        "content-dashboard:content-article-update": reverse(
            "content-dashboard:content-article-update", args=[objects["article"].pk]
        ),
        "accounting-dashboard:accounting-job": reverse(
            "accounting-dashboard:accounting-job", args=[job.pk]
        ),
        "accounting-dashboard:accounting-job-status": reverse(
            "accounting-dashboard:accounting-job-status", args=[job.pk]
        ),
        "accounting-dashboard:accounting-job-download": reverse(
            "accounting-dashboard:accounting-job-download", args=[job.pk]
        ),
        "packages-dashboard:packages-credit-detail": reverse(
            "packages-dashboard:packages-credit-detail", args=[order.credits.get().code]
        ),
        "bookings-dashboard:bookings-practitioner-edit": reverse(
            "bookings-dashboard:bookings-practitioner-edit",
            args=[Practitioner.objects.order_by("pk").first().pk],
        ),
    } | {
        f"accounting-dashboard:accounting-documents{suffix}": reverse(
            f"accounting-dashboard:accounting-documents{suffix}", args=[archive.pk]
        )
        for suffix in ("-archive", "-archive-status", "-archive-download")
    }


STAFF_OBJECT_DENIED = {
    "accounting-dashboard:accounting-job",
    "accounting-dashboard:accounting-job-status",
    "accounting-dashboard:accounting-job-download",
    "accounting-dashboard:accounting-documents-archive",
    "accounting-dashboard:accounting-documents-archive-status",
    "accounting-dashboard:accounting-documents-archive-download",
}
ACCOUNTANT_OBJECT_ALLOWED = {
    "dashboard:order-detail",
    "dashboard:order-line-detail",
    "packages-dashboard:packages-credit-detail",
    "accounting-dashboard:accounting-job",
    "accounting-dashboard:accounting-job-status",
    "accounting-dashboard:accounting-job-download",
    "accounting-dashboard:accounting-documents-archive",
    "accounting-dashboard:accounting-documents-archive-status",
    "accounting-dashboard:accounting-documents-archive-download",
}


def _expected(role: str, url_name: str) -> int:
    """Return the status a role should get on a page: 200, 403, or 302 (to sign in)."""
    if role == "anonymous":
        return 302
    if role == "patient":
        return 403
    if role == "superuser":
        return 200
    if role == "clinic_staff":
        return 403 if url_name in STAFF_DENIED | STAFF_OBJECT_DENIED else 200
    return 200 if url_name in ACCOUNTANT_ALLOWED | ACCOUNTANT_OBJECT_ALLOWED else 403


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_the_menu_has_the_shops_own_sections():
    assert "content-dashboard:content-condition-list" in MENU
    assert "content-dashboard:content-article-list" in MENU
    assert "accounting-dashboard:accounting-export" in MENU
    assert "dashboard:order-list" in MENU
    assert "payments-dashboard:payments-problem-list" in MENU


@pytest.mark.parametrize("role", ROLES)
def test_every_dashboard_page_answers_each_role_as_it_should(role, users, objects):
    client = _client(users[role])
    pages = {name: reverse(name) for name in MENU} | _object_pages(objects)

    wrong = {}
    for url_name, url in pages.items():
        response = client.get(url)
        expected = _expected(role, url_name)
        if response.status_code != expected:
            wrong[url_name] = (response.status_code, expected)
        elif expected == 302:
            assert response["Location"].startswith(reverse("dashboard:login")), url
    assert wrong == {}, f"{role}: (got, expected) by page"


def _dashboard_links(html: str) -> set[str]:
    return {
        href
        for href in re.findall(r'href="(/dashboard/[^"#]*)', html)
        if not href.startswith(reverse("dashboard:logout"))
    }


def _menu_links(html: str) -> set[str]:
    menu = html.split('id="bottom_nav_bar"', 1)[1].split("</nav>", 1)[0]
    return _dashboard_links(menu)


@pytest.mark.parametrize("role", ["clinic_staff", "accountant", "superuser"])
def test_the_menu_offers_each_role_only_pages_it_may_open(role, users, objects):
    client = _client(users[role])

    menu = _menu_links(client.get(reverse("dashboard:index")).content.decode())

    assert menu, "the menu is rendered"
    allowed = {reverse(n) for n in MENU if _expected(role, n) == 200}
    assert menu == allowed
    for url in menu:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["clinic_staff", "accountant", "superuser"])
def test_no_link_on_a_dashboard_page_leads_a_role_to_a_403(role, users, objects):
    client = _client(users[role])
    pages = {name: reverse(name) for name in MENU} | _object_pages(objects)
    opened = [url for name, url in pages.items() if _expected(role, name) == 200]

    dead = set()
    for page in opened:
        response = client.get(page)
        if "text/html" not in response["Content-Type"]:
            continue
        for link in _dashboard_links(response.content.decode()):
            if client.get(link).status_code == 403:
                dead.add((page, link))
    assert not dead, "\n".join(f"{page} links to {link}" for page, link in sorted(dead))


def test_an_accountant_sees_an_order_without_forms_to_change_it(client, accountant, objects):
    client.force_login(accountant)
    order = objects["order"]

    page = client.get(reverse("dashboard:order-detail", args=[order.number])).content.decode()
    orders = client.get(reverse("dashboard:order-list")).content.decode()

    assert order.number in page and "Payment (Stripe)" in page
    assert "Change order status" not in page
    assert 'name="line_action"' not in page and 'name="selected_line"' not in page
    assert "order_note_form" not in page
    assert "Change order status" not in orders
    assert "download_selected_orders" in orders  # reading orders out stays


def test_clinic_staff_still_get_the_forms_to_change_an_order(client, clinic_staff, objects):
    client.force_login(clinic_staff)
    order = objects["order"]

    page = client.get(reverse("dashboard:order-detail", args=[order.number])).content.decode()
    orders = client.get(reverse("dashboard:order-list")).content.decode()

    assert "Change order status" in page
    assert 'name="line_action"' in page
    assert "order_note_form" in page
    assert reverse("dashboard:order-shipping-address", args=[order.number]) in page
    assert reverse("dashboard:catalogue-product", args=[order.lines.first().product_id]) in page
    assert "Change order status" in orders
