"""Sign-in cannot be guessed forever: lockouts (django-axes), per-IP limits (django-ratelimit),
and an unknown email that costs as much as a known one."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse

from shop.core.throttle import rate_limit_for
from tests.factories import UserFactory, product_by_sku

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's

SIGN_INS = {
    "customer:login": lambda email, password: {
        "login-username": email,
        "login-password": password,
        "login_submit": "1",
    },
    "dashboard:login": lambda email, password: {"username": email, "password": password},
}


@pytest.mark.parametrize("login", sorted(SIGN_INS))
def test_five_failures_lock_the_account_from_that_address(client, login):
    user = UserFactory(email="mei@example.com", is_staff=True)
    url, form = reverse(login), SIGN_INS[login]

    for _ in range(4):
        assert client.post(url, form(user.email, "wrong-guess")).status_code == 200
    # The fifth failure locks: it and every attempt in the cool-off get the lockout page.
    assert client.post(url, form(user.email, "wrong-guess")).status_code == 429

    locked = client.post(url, form(user.email, PASSWORD))
    assert locked.status_code == 429
    assert "too many failed sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out of the same account.
    other = client.post(url, form(user.email, PASSWORD), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302


def test_staff_unlock_an_account_and_it_signs_in_again(client):
    from axes.utils import reset

    user = UserFactory(email="mei@example.com")
    url, form = reverse("customer:login"), SIGN_INS["customer:login"]
    for _ in range(5):
        client.post(url, form(user.email, "wrong-guess"))
    assert client.post(url, form(user.email, PASSWORD)).status_code == 429

    reset(username=user.email)  # what the unlock in /admin/axes/ does

    assert client.post(url, form(user.email, PASSWORD)).status_code == 302


class CountingHasher(PBKDF2PasswordHasher):
    """Django's default hasher, counting the passwords it hashes (fewer rounds: faster tests)."""

    iterations = 1000
    calls = 0

    def encode(self, password, salt, iterations=None):
        CountingHasher.calls += 1
        return super().encode(password, salt, iterations)


def test_an_unknown_email_costs_as_many_hashes_as_a_known_one(client, settings):
    settings.PASSWORD_HASHERS = ["tests.core.test_security_login.CountingHasher"]
    UserFactory(email="known@example.com")
    url, form = reverse("customer:login"), SIGN_INS["customer:login"]

    CountingHasher.calls = 0
    client.post(url, form("known@example.com", "wrong-guess"))
    known = CountingHasher.calls
    CountingHasher.calls = 0
    client.post(url, form("nobody-here@example.com", "wrong-guess"))
    unknown = CountingHasher.calls

    assert known >= 1
    assert unknown == known


@pytest.mark.parametrize(
    "name, data",
    [
        ("password-reset", {"email": "someone@example.com"}),
        ("customer:register", {"email": "x"}),
        ("basket:vouchers-add", {"code": "GUESS"}),
    ],
)
def test_posts_beyond_the_limit_get_a_429_page(client, catalogue, name, data):
    allowed = int(rate_limit_for(name).split("/")[0])
    url = reverse(name)

    answers = [client.post(url, data).status_code for _ in range(allowed)]
    refused = client.post(url, data)

    assert 429 not in answers
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert client.get(url).status_code != 429  # reading the page is never limited


def test_guest_order_lookups_are_limited(client, catalogue):
    from tests.factories import paid_order_create

    order = paid_order_create(items=[("TUI-5", 1)], guest_email="guest@example.com")
    url = reverse("customer:anon-order-form", args=[order.number, order.verification_hash()])
    allowed = int(rate_limit_for("customer:anon-order-form").split("/")[0])

    for _ in range(allowed):
        assert client.post(url, {"email": "guess@example.com"}).status_code != 429
    assert client.post(url, {"email": "guest@example.com"}).status_code == 429
    assert product_by_sku("TUI-5")  # the catalogue is untouched by the limits


# --- The client's address behind reverse proxies (SHOP_TRUSTED_PROXY_COUNT) ---------------


def _lock(client, email, **extra):
    url, form = reverse("customer:login"), SIGN_INS["customer:login"]
    for _ in range(5):
        client.post(url, form(email, "wrong-guess"), **extra)
    return client.post(url, form(email, PASSWORD), **extra).status_code


def test_with_no_proxy_a_forged_forwarded_for_dodges_no_lockout(client, settings):
    settings.SHOP_TRUSTED_PROXY_COUNT = 0
    user = UserFactory(email="mei@example.com")
    assert _lock(client, user.email, HTTP_X_FORWARDED_FOR="203.0.113.1") == 429

    url, form = reverse("customer:login"), SIGN_INS["customer:login"]
    # Every address a guesser may write in the header is the same REMOTE_ADDR to the shop.
    forged = client.post(url, form(user.email, PASSWORD), HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert forged.status_code == 429


def test_behind_one_proxy_clients_are_told_apart_by_the_proxys_forwarded_for(client, settings):
    settings.SHOP_TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="mei@example.com")
    # The proxy (REMOTE_ADDR, the same for everyone) appends the address it was reached from.
    assert _lock(client, user.email, HTTP_X_FORWARDED_FOR="203.0.113.1") == 429

    url, form = reverse("customer:login"), SIGN_INS["customer:login"]
    other = Client().post(url, form(user.email, PASSWORD), HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code == 302
    # The guesser's own entries to the left of the proxy's are not believed.
    forged = client.post(
        url, form(user.email, PASSWORD), HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.1"
    )
    assert forged.status_code == 429


@pytest.mark.parametrize("proxies, second_refused", [(0, True), (1, False)])
def test_per_ip_limits_count_the_client_the_proxies_saw(client, settings, proxies, second_refused):
    settings.SHOP_TRUSTED_PROXY_COUNT = proxies
    url, data = reverse("password-reset"), {"email": "someone@example.com"}
    allowed = int(rate_limit_for("password-reset").split("/")[0])
    for _ in range(allowed):
        client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429

    second = Client().post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert (second.status_code == 429) is second_refused


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "203.0.113.1", "127.0.0.1"),
        (1, "203.0.113.1", "203.0.113.1"),
        (1, "10.0.0.9, 203.0.113.1", "203.0.113.1"),
        (2, "198.51.100.9, 203.0.113.1, 10.0.0.2", "203.0.113.1"),
        (2, "203.0.113.1", "203.0.113.1"),
        (1, "", "127.0.0.1"),
        (1, "not-an-address", "127.0.0.1"),
    ],
)
def test_the_client_address_is_counted_from_the_right(rf, settings, proxies, forwarded, expected):
    from shop.core.security import client_ip

    settings.SHOP_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")

    assert client_ip(request) == expected
