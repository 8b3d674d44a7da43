"""The Site is the shop's own (password-reset links), and /admin/ is for superusers only."""

from urllib.parse import urlsplit

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from shop.core.sites import site_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migrate_gave_the_site_the_shops_address_and_name(settings):
    site = Site.objects.get_current()

    assert site.domain == urlsplit(settings.SITE_URL).netloc != "example.com"
    assert site.name == settings.CLINIC_NAME


def test_password_reset_links_use_the_shops_domain_and_https_behind_tls(
    client, patient, settings, mailoutbox
):
    settings.SITE_URL = "https://shop.liangyi-tcm.example"
    settings.ALLOWED_HOSTS = ["shop.liangyi-tcm.example", "testserver"]
    site_sync()

    client.post(reverse("password-reset"), {"email": patient.email}, secure=True)

    (message,) = mailoutbox
    assert "https://shop.liangyi-tcm.example/password-reset/confirm/" in message.body
    assert "example.com/" not in message.body.replace("liangyi-tcm.example/", "")


@pytest.mark.parametrize("role", ["clinic_staff", "accountant"])
def test_staff_accounts_do_not_get_djangos_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get("/admin/order/order/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_superuser_gets_djangos_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/admin/").status_code == 200


def test_the_admin_can_be_switched_off():
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/admin/'); print('on')\nexcept Resolver404:\n    print('off')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **__import__("os").environ,
            "SHOP_ADMIN_ENABLED": "false",
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "DEBUG": "true",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stdout.strip().splitlines()[-1] == "off", result.stderr
