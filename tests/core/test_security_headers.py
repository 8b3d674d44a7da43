"""The headers every page carries: a Content-Security-Policy of the shop's own origin, Stripe's
hosts only on the payment page, a Permissions-Policy, and SameSite on every cookie."""

from pathlib import Path

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import product_by_sku

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_pages_allow_only_the_shops_own_origin_and_a_nonced_script(client, catalogue):
    response = client.get(Product.objects.get(slug="tuina-acupressure").get_absolute_url())
    policy = _policy(response)
    page = response.content.decode()

    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    nonce = [s for s in policy["script-src"] if s.startswith("'nonce-")]
    assert policy["script-src"][0] == "'self'" and len(nonce) == 1
    assert "stripe" not in response["Content-Security-Policy"]
    # The one inline script (Oscar's page start-up) carries that nonce; jQuery is the shop's.
    assert page.count("<script>") == 0
    assert f'<script nonce="{nonce[0][7:-1]}">' in page
    assert "googleapis" not in page and "/static/vendor/jquery/jquery.min.js" in page


def test_the_shops_jquery_is_a_static_file_from_the_npm_package():
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/jquery/jquery.min.js")

    assert found and "node_modules/jquery/dist" in found
    assert "jQuery v3.7.1" in Path(found).read_text()[:200]


def test_only_the_payment_page_allows_stripe_with_real_keys(settings):
    from shop.core.security import stripe_csp_sources

    settings.STRIPE_API_BASE = ""
    real = stripe_csp_sources()
    assert real["script-src"] == ["https://js.stripe.com"]
    assert real["connect-src"] == ["https://api.stripe.com"]

    settings.STRIPE_API_BASE = "http://127.0.0.1:8420"
    assert stripe_csp_sources()["script-src"] == ["http://127.0.0.1:8420"]


def test_the_payment_page_adds_stripes_hosts(client, catalogue, settings):
    settings.STRIPE_API_BASE = ""
    package = product_by_sku("TUI-5")
    client.post(reverse("basket:add", args=[package.pk]), {"quantity": 1})
    session = client.session
    session["checkout_data"] = {
        "guest": {"email": "guest@example.com"},
        "shipping": {"method_code": "no-shipping-required"},
        "patient": {"name": "Tan Mei Ling", "phone": "+6591234567"},
    }
    session.save()

    response = client.get(reverse("checkout:payment-details"))
    policy = _policy(response)

    assert response.status_code == 200
    assert "https://js.stripe.com" in policy["script-src"]
    assert "https://api.stripe.com" in policy["connect-src"]
    assert "https://hooks.stripe.com" in policy["frame-src"]
    basket_policy = client.get(reverse("basket:summary"))["Content-Security-Policy"]
    assert "stripe" not in basket_policy


def test_permissions_policy_turns_off_what_the_shop_never_uses(client):
    policy = client.get("/")["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_every_cookie_is_same_site(client, catalogue, patient):
    package = product_by_sku("TUI-5")
    viewed = client.get(package.parent.get_absolute_url())  # Oscar's recently viewed cookie
    response = client.post(reverse("basket:add", args=[package.pk]), {"quantity": 1})
    cookies = dict(viewed.cookies) | dict(response.cookies)
    signed_in = client.post(
        reverse("customer:login"),
        {"login-username": patient.email, "login-password": PASSWORD, "login_submit": "1"},
    )
    assert signed_in.status_code == 302
    cookies |= dict(signed_in.cookies)

    assert {"oscar_open_basket", "oscar_history", "messages", "sessionid", "csrftoken"} <= set(
        cookies
    )
    for name, morsel in cookies.items():
        assert morsel["samesite"] == "Lax", name
