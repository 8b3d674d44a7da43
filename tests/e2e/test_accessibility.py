"""axe-core in Chromium finds no critical or serious violation on the shop's pages.

One browser context per width walks a patient's journey: the public pages, the basket, each
checkout step as a guest (paying at localstripe), the thank-you page, then the login page and
the account's order list. axe.min.js comes from the pinned npm package (`make npm`).
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from shop.shipping.services import shipping_country_ensure
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
Article = get_model("content", "Article")
Condition = get_model("content", "Condition")
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations
        .filter(v => v.impact === "critical" || v.impact === "serious")
        .map(v => `${v.id} (${v.impact}): `
            + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


class Audit:
    """Run axe on each page visited and keep what it reports, with the page's name."""

    def __init__(self, page):
        self.page = page
        self.violations: list[str] = []
        self.pages: list[str] = []

    def check(self, name: str) -> None:
        page = self.page
        assert page.locator("main").count() == 1, f"{name}: no main landmark"
        skip = page.locator("a.skip-link")
        assert skip.get_attribute("href") == "#main", f"{name}: no skip link"
        page.add_script_tag(path=str(AXE))
        self.violations += [f"{name}: {found}" for found in page.evaluate(RUN_AXE)]
        self.pages.append(name)

    def visit(self, name: str, path: str) -> None:
        response = self.page.goto(path)
        assert response.status == 200, f"{name}: {response.status}"
        self.check(name)


def _public_pages() -> dict[str, str]:
    return {
        "home": "/",
        "catalogue": reverse("catalogue:index"),
        "category": Category.objects.get(slug="acupuncture").get_absolute_url(),
        "treatment": Product.objects.get(upc="TUI").get_absolute_url(),
        "wellness product": Product.objects.get(upc="WP-MOXA").get_absolute_url(),
        "condition": Condition.objects.published().first().get_absolute_url(),
        "article": Article.objects.published().first().get_absolute_url(),
        "search results": reverse("search:search") + "?q=acupuncture",
    }


def _checkout_as_guest(audit: Audit, email: str) -> None:
    page = audit.page
    page.goto(Product.objects.get(upc="WP-MOXA").get_absolute_url())
    page.get_by_role("button", name="Add to basket").first.click()
    page.goto(Product.objects.get(upc="TUI").get_absolute_url())
    page.get_by_role("button", name="Add 5 sessions to basket").click()
    audit.visit("basket", reverse("basket:summary"))

    page.get_by_role("link", name="Proceed to checkout").click()
    audit.check("checkout: sign in or guest")
    page.locator("#id_username").fill(email)
    page.get_by_label("I am a new customer and want to checkout as a guest").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/checkout/patient/$"))
    audit.check("checkout: patient details")
    page.get_by_label("Patient's full name").fill("Tan Mei Ling")
    page.get_by_label("Mobile number").fill("9123 4567")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/checkout/shipping-address/$"))
    audit.check("checkout: delivery address")

    page.get_by_label("Full name").fill("Tan Mei Ling")
    page.get_by_label("Block and street").fill("10 Anson Road")
    page.get_by_label("Postal code").fill("079903")
    page.get_by_label("Phone number").fill("9123 4567")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/checkout/payment-details/$"))
    audit.check("checkout: payment")

    card = page.locator("#card-element")
    for placeholder, value in [
        ("number", "4242424242424242"),
        ("exp_month", "12"),
        ("exp_year", "34"),
        ("cvc", "123"),
        ("postal_code", "079903"),
    ]:
        card.get_by_placeholder(placeholder).fill(value)
    page.locator("#pay-button").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/$"))
    audit.check("thank-you")


def _account(audit: Audit) -> None:
    patient = UserFactory(email="reader@example.com")
    patient.set_password("a-long-pass-phrase-9")
    patient.save()
    create_order(user=patient)
    page = audit.page
    audit.visit("login", reverse("customer:login"))
    page.locator("#id_login-username").fill("reader@example.com")
    page.locator("#id_login-password").fill("a-long-pass-phrase-9")
    with page.expect_navigation():
        page.locator("button[name=login_submit]").click()
    audit.visit("account: orders", reverse("customer:order-list"))


@pytest.mark.parametrize("width", [1280, 390])
def test_no_critical_or_serious_accessibility_violation(
    chromium, live_server, catalogue, localstripe, width
):
    shipping_country_ensure(apps=apps)
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
        bypass_csp=True,  # axe is injected as a script of the test, not of the shop
    )
    context.set_default_timeout(20_000)
    audit = Audit(context.new_page())
    try:
        for name, path in _public_pages().items():
            audit.visit(name, path)
        _checkout_as_guest(audit, f"axe.{width}@example.com")
        _account(audit)
    finally:
        context.close()

    assert len(audit.pages) == 16
    assert audit.violations == [], "\n".join(audit.violations)
