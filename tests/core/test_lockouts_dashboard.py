"""Customers > Locked sign-ins: staff see who django-axes locked out and unlock them."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.core.test_security_login import PASSWORD, SIGN_INS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("lockouts-dashboard:lockout-list")
UNLOCK = reverse("lockouts-dashboard:lockout-unlock")


def _sign_in(client, email, password, **extra):
    return client.post(
        reverse("customer:login"), SIGN_INS["customer:login"](email, password), **extra
    )


def _locked_patient(client):
    patient = UserFactory(email="locked.patient@example.com")
    for _ in range(5):
        _sign_in(client, patient.email, "wrong-guess")
    return patient


@pytest.fixture
def desk(db):
    """A member of staff given the right to unlock (what a superuser grants in /admin/)."""
    user = UserFactory(email="desk@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="delete_accessattempt"))
    return user


def test_staff_unlock_a_locked_patient_who_then_signs_in(desk):
    patient_browser = Client()
    patient = _locked_patient(patient_browser)
    assert _sign_in(patient_browser, patient.email, PASSWORD).status_code == 429

    staff = Client()
    staff.force_login(desk)
    page = staff.get(LIST).content.decode()
    assert "locked.patient@example.com" in page
    assert "127.0.0.1" in page
    attempt = AccessAttempt.objects.get(username=patient.email)
    assert f'name="attempt" value="{attempt.pk}"' in page

    done = staff.post(UNLOCK, {"attempt": attempt.pk}, follow=True)

    assert "locked.patient@example.com can sign in again." in done.content.decode()
    assert "No sign-in is locked out." in done.content.decode()
    assert _sign_in(patient_browser, patient.email, PASSWORD).status_code == 302
    assert patient_browser.session["_auth_user_id"] == str(patient.pk)


def test_the_unlock_takes_a_csrf_token(desk):
    patient = _locked_patient(Client())
    attempt = AccessAttempt.objects.get(username=patient.email)
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(desk)

    assert staff.post(UNLOCK, {"attempt": attempt.pk}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_a_pair_under_the_limit_is_not_listed(desk):
    patient = UserFactory(email="one.typo@example.com")
    _sign_in(Client(), patient.email, "wrong-guess")
    staff = Client()
    staff.force_login(desk)

    assert "one.typo@example.com" not in staff.get(LIST).content.decode()


def test_the_menu_shows_locked_sign_ins_under_customers(desk):
    staff = Client()
    staff.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))

    page = staff.get(reverse("dashboard:index")).content.decode()

    customers = page.split("Customers", 1)[1].split("</ul>", 1)[0]
    assert f'href="{LIST}"' in customers


@pytest.mark.parametrize("role", ["anonymous", "patient", "accountant", "clinic_staff"])
def test_others_cannot_see_the_page_or_unlock(request, role):
    patient = _locked_patient(Client())
    attempt = AccessAttempt.objects.get(username=patient.email)
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    seen = client.get(LIST)
    posted = client.post(UNLOCK, {"attempt": attempt.pk})

    expected = 302 if role == "anonymous" else 403
    assert (seen.status_code, posted.status_code) == (expected, expected)
    assert "locked.patient@example.com" not in seen.content.decode()
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
