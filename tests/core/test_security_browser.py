"""The main journeys in Chromium under the shop's Content-Security-Policy: no violation, no
request to another host (apart from localstripe, the offline Stripe, on the payment page)."""

import re
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.e2e.test_checkout import tell_who_the_treatment_is_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Product = get_model("catalogue", "Product")

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
    window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_home_product_basket_and_payment_page_break_no_policy(
    live_server, catalogue, localstripe, page
):
    allowed = {_origin(live_server.url), _origin(localstripe.url)}
    elsewhere, console_errors, violations = [], [], []
    page.add_init_script(LISTEN)
    page.on(
        "request",
        lambda r: (
            r.url.startswith("http") and _origin(r.url) not in allowed and elsewhere.append(r.url)
        ),
    )
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))

    def visit_done():
        violations.extend(page.evaluate("window.__cspViolations"))

    page.goto("/")
    visit_done()
    package = Product.objects.get(slug="tuina-acupressure")
    page.goto(package.get_absolute_url())
    visit_done()
    page.get_by_role("button", name="Add 5 sessions to basket").click()
    page.goto(reverse("basket:summary"))
    visit_done()
    page.get_by_role("link", name="Proceed to checkout").click()
    page.locator("#id_username").fill("csp.patient@example.com")
    page.get_by_label("I am a new customer and want to checkout as a guest").check()
    page.get_by_role("button", name="Continue").click()
    tell_who_the_treatment_is_for(page)  # a treatment basket: the patient step
    page.wait_for_url(re.compile(r"/checkout/payment-details/$"))
    # localstripe's Stripe.js drew the card field: the policy let it load and run.
    page.locator("#card-element").get_by_placeholder("number").wait_for()
    visit_done()

    assert violations == []
    assert [e for e in console_errors if "Content Security Policy" in e] == []
    assert elsewhere == []


def test_a_page_served_from_the_page_cache_runs_its_start_up_script(live_server, catalogue, page):
    """A later visitor of a cached page gets a nonce the header allows, not the first one's."""
    with urlopen(f"{live_server.url}/catalogue/") as first:  # fills the cache
        assert first.headers["X-Page-Cache"] == "miss"
    page.add_init_script(LISTEN)
    response = page.goto("/catalogue/")
    assert response.headers["x-page-cache"] == "hit"
    assert page.evaluate("window.__cspViolations") == []


def _signed_in(page, client, live_server, user) -> None:
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_print_and_cancel_buttons_work_under_the_policy(live_server, catalogue, page, client):
    """Oscar's onclick buttons are the shop's data-action ones: they act, and break nothing."""
    from tests.factories import UserFactory, paid_order_create

    staff = UserFactory(email="csp.desk@example.com", is_staff=True, is_superuser=True)
    order = paid_order_create(items=[("TUI-5", 1)], user=staff)
    _signed_in(page, client, live_server, staff)
    page.add_init_script(
        LISTEN + "window.__printed = 0; window.print = function () { window.__printed += 1; };"
    )

    # The order confirmation (staff may open any order's) prints.
    page.goto(f"{reverse('checkout:thank-you')}?order_number={order.number}")
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("window.__printed") == 1
    violations = page.evaluate("window.__cspViolations")

    # An account form's "cancel" goes back to the page before it.
    page.goto(reverse("customer:summary"))
    page.goto(reverse("customer:profile-update"))
    page.get_by_role("link", name="cancel").click()
    page.wait_for_url(re.compile(re.escape(reverse("customer:profile-view")) + "$"))
    violations += page.evaluate("window.__cspViolations")

    # The 404 page's "Return to previous page" too.
    page.goto("/no-such-page/")
    page.get_by_role("link", name="Return to previous page").click()
    page.wait_for_url(re.compile(re.escape(reverse("customer:profile-view")) + "$"))
    violations += page.evaluate("window.__cspViolations")

    assert violations == []


def test_the_dashboards_image_field_shows_the_chosen_image(live_server, catalogue, page, client):
    """Oscar's onload/onerror preview handlers are actions.js's: the upload button hides."""
    import io

    from PIL import Image

    from tests.factories import UserFactory

    root = UserFactory(email="csp.root@example.com", is_staff=True, is_superuser=True)
    product = Product.objects.get(slug="tuina-acupressure")
    _signed_in(page, client, live_server, root)
    page.add_init_script(LISTEN)
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(png, format="PNG")

    page.goto(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}))
    page.locator("a[href='#product_images']").click()
    image_ids = page.locator("input[type=file][id^='id_images-']").evaluate_all(
        "inputs => inputs.map(i => i.id)"
    )
    field = image_ids[-1]  # the empty form for one more image
    button = page.locator(f"#upload_button_{field}-image")
    assert button.is_visible()
    page.locator(f"#{field}").set_input_files(
        {"name": "tiny.png", "mimeType": "image/png", "buffer": png.getvalue()}
    )

    button.wait_for(state="hidden")
    assert page.locator(f"#{field}-image img").get_attribute("src").startswith("data:image/png")
    assert page.evaluate("window.__cspViolations") == []
