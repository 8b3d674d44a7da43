"""The site menu's Dashboard link: shown to staff and to those granted dashboard access.

The answer for a patient is kept in Redis (shop/core/menu.py) so a page asks no
permissions; a grant or a revocation, to the user or to a group of theirs, shows on the
next page.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.test_cache_outage import _cache_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/"


def _menu(client: Client) -> str:
    page = client.get(PAGE)
    assert page.status_code == 200
    return re.search(r'<nav id="site-menu".*?</nav>', page.content.decode(), re.S).group(0)


def _shows_dashboard(client: Client) -> bool:
    return f'href="{reverse("dashboard:index")}">Dashboard</a>' in _menu(client)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _dashboard_access() -> Permission:
    return Permission.objects.get(content_type__app_label="partner", codename="dashboard_access")


def test_a_patient_sees_no_dashboard_link_and_the_clinics_staff_do(
    catalogue, patient, clinic_staff, accountant
):
    assert not _shows_dashboard(_signed_in(patient))
    assert _shows_dashboard(_signed_in(clinic_staff))
    assert _shows_dashboard(_signed_in(accountant))
    assert not _shows_dashboard(Client())
    assert "Log in or register" in _menu(Client())


def test_a_superuser_sees_the_link(catalogue):
    assert _shows_dashboard(_signed_in(UserFactory(is_superuser=True, is_staff=False)))


def test_dashboard_access_granted_to_a_patient_shows_at_once_and_goes_when_revoked(
    catalogue, patient
):
    client = _signed_in(patient)
    assert not _shows_dashboard(client)
    assert not _shows_dashboard(client)  # kept: no permissions asked

    patient.user_permissions.add(_dashboard_access())
    assert _shows_dashboard(client)
    assert _shows_dashboard(client)

    patient.user_permissions.remove(_dashboard_access())
    assert not _shows_dashboard(client)


def test_a_group_granted_dashboard_access_shows_the_link_to_its_members(catalogue, patient):
    client = _signed_in(patient)
    partners = Group.objects.create(name="Partners' staff")
    patient.groups.add(partners)
    assert not _shows_dashboard(client)

    partners.permissions.add(_dashboard_access())
    assert _shows_dashboard(client)

    patient.groups.remove(partners)
    assert not _shows_dashboard(client)

    patient.groups.add(partners)
    assert _shows_dashboard(client)
    partners.permissions.clear()
    assert not _shows_dashboard(client)

    partners.permissions.add(_dashboard_access())
    assert _shows_dashboard(client)
    partners.delete()
    assert not _shows_dashboard(client)


def test_a_patient_made_staff_sees_the_link_on_the_next_page(catalogue, patient):
    client = _signed_in(patient)
    assert not _shows_dashboard(client)
    patient.is_staff = True
    patient.save()
    assert _shows_dashboard(client)
    patient.is_staff = False
    patient.save()
    assert not _shows_dashboard(client)


def test_one_patients_answer_is_never_anothers(catalogue, patient):
    granted = UserFactory(email="partner.user@example.com")
    granted.user_permissions.add(_dashboard_access())
    first, second = _signed_in(patient), _signed_in(granted)
    assert _shows_dashboard(second)
    assert not _shows_dashboard(first)
    assert _shows_dashboard(second)


def test_a_patients_repeated_page_asks_no_permissions(
    catalogue, patient, django_assert_max_num_queries
):
    client = _signed_in(patient)
    # The answer is kept at the first view; the header's basket summary at the second (the
    # first made the patient's empty basket, which moved its version).
    client.get(PAGE)
    client.get(PAGE)
    # Their session and user, the request's savepoint and its release (the home page's
    # body and the header are kept): the menu's permissions were two more.
    with django_assert_max_num_queries(4), CaptureQueriesContext(connection) as queries:
        assert not _shows_dashboard(client)
    assert not [q for q in queries if "auth_permission" in q["sql"]]


def test_the_link_follows_grants_while_redis_is_down(catalogue, patient, throwaway_redis):
    with override_settings(CACHES=_cache_on(throwaway_redis.url)):
        client = _signed_in(patient)
        assert not _shows_dashboard(client)
        throwaway_redis.stop()
        patient.user_permissions.add(_dashboard_access())
        assert _shows_dashboard(client)
        patient.user_permissions.remove(_dashboard_access())
        assert not _shows_dashboard(client)
        throwaway_redis.start()
        assert not _shows_dashboard(client)
