"""A GET changes nothing: every URL pattern, opened by the superuser, leaves the data as it was.

Oscar linked users to partners (granting dashboard access), signed out, added to wish
lists and set default addresses on a plain GET: an <img> on any site could do it in the
browser of whoever was signed in. The crawl is generated from the URL configuration, so
a page added later is crawled too.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests.core.urlmap import url_fill, url_patterns, world_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Partner = get_model("partner", "Partner")

# Tables a page may write on a GET without changing anything a person owns: the session,
# Oscar's page-view analytics, the thumbnails' cache and a visitor's empty basket.
VOLATILE = {
    "django_session",
    "analytics_productrecord",
    "analytics_userproductview",
    "analytics_userrecord",
    "analytics_usersearch",
    "thumbnail_kvstore",
    "basket_basket",
}
# Reading a notification marks it read, in the reader's own inbox (like any mail reader).
ALLOWED = {("customer:notifications-detail", "communication_notification")}


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if not model._meta.proxy and model._meta.managed
        }
        - VOLATILE
    )


def _checksums() -> dict[str, str]:
    """Return the row count and a checksum of the rows of every table (one query)."""
    row = "SELECT '{}', count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), ''))"
    parts = [
        row.format(table) + f" FROM {connection.ops.quote_name(table)} t" for table in _tables()
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {table: f"{count}:{digest}" for table, count, digest in cursor.fetchall()}


def _writes() -> dict[str, int]:
    """Return the rows written so far in this transaction, by table (PostgreSQL's counters)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return dict(cursor.fetchall())


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


def test_no_get_changes_the_data_or_fails(catalogue, patient, superuser):
    # The superuser owns the patient-side objects too, so the account pages act on real ones.
    world = world_create(owner=superuser, other=patient)
    client = Client()
    client.force_login(superuser)
    client.get("/")  # the session and basket exist before the first look
    before = _checksums()
    writes = _writes()
    failures = []

    for route, name, args in url_patterns():
        url = url_fill(route, args, world)
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url} ({name})")
        now = _writes()
        changed = {t for t, n in now.items() if n != writes.get(t, 0)} - VOLATILE
        changed -= {table for allowed_name, table in ALLOWED if allowed_name == name}
        if changed:
            failures.append(f"GET {url} ({name}) wrote to {sorted(changed)}")
        writes = now
        if client.session.get("_auth_user_id") != str(superuser.pk):
            failures.append(f"GET {url} ({name}) signed the superuser out")
            client.force_login(superuser)

    after = _checksums()
    allowed_tables = {table for _, table in ALLOWED}
    changed = sorted(t for t in after if after[t] != before[t] and t not in allowed_tables)
    assert failures == [] and changed == [], "\n".join(failures + changed)


def test_partner_link_by_get_is_refused_and_grants_nothing(client, catalogue, patient):
    root = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    partner = Partner.objects.first()
    client.force_login(root)
    url = reverse("dashboard:partner-user-link", args=[partner.pk, patient.pk])

    assert client.get(url).status_code == 405
    assert not partner.users.filter(pk=patient.pk).exists()
    assert not patient.has_perm("partner.dashboard_access")

    assert client.post(url).status_code == 302
    assert partner.users.filter(pk=patient.pk).exists()


@pytest.mark.parametrize(
    "name", ["customer:logout", "customer:wishlists-add-product", "customer:address-change-status"]
)
def test_patient_actions_answer_get_with_405(client, catalogue, patient, name):
    world = world_create(owner=patient)
    client.force_login(patient)
    kwargs = {
        "customer:logout": {},
        "customer:wishlists-add-product": {"product_pk": world["product"].pk},
        "customer:address-change-status": {
            "pk": world["address"].pk,
            "action": "default_for_billing",
        },
    }[name]

    assert client.get(reverse(name, kwargs=kwargs)).status_code == 405
    assert client.session.get("_auth_user_id") == str(patient.pk)


def test_the_address_book_sets_a_default_by_post(client, catalogue, patient):
    address = world_create(owner=patient)["address"]
    client.force_login(patient)
    page = client.get(reverse("customer:address-list")).content.decode()
    url = reverse("customer:address-change-status", args=[address.pk, "default_for_billing"])
    assert f'method="post" action="{url}"' in page

    client.post(url)

    address.refresh_from_db()
    assert address.is_default_for_billing


def test_logout_by_post_signs_out(client, patient):
    client.force_login(patient)
    page = client.get(reverse("customer:profile-view")).content.decode()
    assert 'id="logout_form" method="post"' in page

    response = client.post(reverse("customer:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
