"""Browser journeys through the checkout in Chromium, paying at localstripe.

Stripe.js is localstripe's fake one (served by the localstripe process): its
card field is plain inputs, and the card becomes a card id the shop attaches.
"""

import re

import pytest
from django.apps import apps
from django.urls import reverse
from oscar.core.loading import get_model

from shop.shipping.services import shipping_country_ensure
from tests.fixtures.services import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
WebhookEvent = get_model("payments", "WebhookEvent")


@pytest.fixture
def shop(live_server, catalogue, localstripe):
    """The running shop, with localstripe sending its events to the shop's webhook."""
    localstripe.register_webhook(live_server.url + reverse("payments:stripe-webhook"))
    return live_server


def _add_five_sessions_and_check_out_as_guest(page, email: str) -> None:
    package = Product.objects.get(slug="tuina-acupressure")
    page.goto(package.get_absolute_url())
    page.get_by_role("button", name="Add 5 sessions to basket").click()
    page.goto(reverse("basket:summary"))
    page.get_by_role("link", name="Proceed to checkout").click()
    page.locator("#id_username").fill(email)
    page.get_by_label("I am a new customer and want to checkout as a guest").check()
    page.get_by_role("button", name="Continue").click()
    tell_who_the_treatment_is_for(page)
    page.wait_for_url(re.compile(r"/checkout/payment-details/$"))


def tell_who_the_treatment_is_for(page, name: str = "Tan Mei Ling", phone: str = "9123 4567"):
    """Fill the checkout's patient step (a treatment basket): name and Singapore mobile."""
    page.wait_for_url(re.compile(r"/checkout/patient/$"))
    page.get_by_label("Patient's full name").fill(name)
    page.get_by_label("Mobile number").fill(phone)
    page.get_by_role("button", name="Continue").click()


def _enter_card(page, number: str) -> None:
    card = page.locator("#card-element")
    card.get_by_placeholder("number").fill(number)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("34")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("079903")


def test_a_new_patient_buys_a_five_session_package_as_a_guest(shop, page):
    _add_five_sessions_and_check_out_as_guest(page, "new.patient@example.com")
    assert page.get_by_role("button", name="Pay S$398.00").is_visible()

    _enter_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay S$398.00").click()

    page.wait_for_url(re.compile(r"/checkout/thank-you/$"))
    order = Order.objects.get()
    assert page.get_by_text(order.number).first.is_visible()
    assert order.guest_email == "new.patient@example.com"
    assert order.total_incl_tax == 398
    assert [line.partner_sku for line in order.lines.all()] == ["TUI-5"]
    # localstripe's own success event reaches the shop and finds the order already placed.
    wait_until(
        lambda: WebhookEvent.objects.filter(type="payment_intent.succeeded").exists(),
        what="localstripe's webhook",
    )
    assert Order.objects.count() == 1


def test_a_declined_card_shows_the_error_and_a_retry_with_4242_pays(shop, page):
    _add_five_sessions_and_check_out_as_guest(page, "second.patient@example.com")

    _enter_card(page, "4000000000000341")
    page.get_by_role("button", name="Pay S$398.00").click()

    error = page.locator("#payment-errors")
    error.wait_for(state="visible")
    assert error.inner_text() == "Your card was declined."
    assert Order.objects.count() == 0
    assert page.url.endswith("/checkout/payment-details/")

    _enter_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay S$398.00").click()

    page.wait_for_url(re.compile(r"/checkout/thank-you/$"))
    order = Order.objects.get()
    assert page.get_by_text(order.number).first.is_visible()
    assert order.sources.get().amount_debited == 398


def test_3d_secure_is_completed_in_the_banks_box(shop, page):
    _add_five_sessions_and_check_out_as_guest(page, "third.patient@example.com")

    _enter_card(page, "4000002500003155")
    page.get_by_role("button", name="Pay S$398.00").click()
    page.get_by_role("button", name="Complete authentication").click()

    page.wait_for_url(re.compile(r"/checkout/thank-you/$"))
    assert page.get_by_text(Order.objects.get().number).first.is_visible()


def test_failed_3d_secure_shows_the_error_and_keeps_the_basket(shop, page):
    _add_five_sessions_and_check_out_as_guest(page, "fourth.patient@example.com")

    _enter_card(page, "4000002500003155")
    page.get_by_role("button", name="Pay S$398.00").click()
    page.get_by_role("button", name="Fail authentication").click()

    error = page.locator("#payment-errors")
    error.wait_for(state="visible")
    assert "could not authenticate" in error.inner_text()
    assert Order.objects.count() == 0
    page.goto(reverse("basket:summary"))
    assert page.get_by_role("link", name="Proceed to checkout").is_visible()


def test_a_basket_changed_in_another_tab_shows_the_new_total_before_paying(shop, page):
    _add_five_sessions_and_check_out_as_guest(page, "two.tabs@example.com")
    other_tab = page.context.new_page()
    other_tab.goto(Product.objects.get(slug="tuina-acupressure").get_absolute_url())
    other_tab.get_by_role("button", name="Add 5 sessions to basket").click()
    other_tab.close()

    _enter_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay S$398.00").click()

    page.get_by_text("Your basket has changed: the total is now S$796.00.").wait_for()
    assert Order.objects.count() == 0
    _enter_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay S$796.00").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/$"))
    assert Order.objects.get().sources.get().amount_debited == 796


def test_a_guest_enters_a_singapore_delivery_address_and_pays(shop, page):
    shipping_country_ensure(apps=apps)  # the database was emptied by an earlier test
    page.goto(Product.objects.get(slug="moxa-sticks").get_absolute_url())
    page.get_by_role("button", name="Add to basket").first.click()
    page.goto(reverse("basket:summary"))
    page.get_by_role("link", name="Proceed to checkout").click()
    page.locator("#id_username").fill("mei@example.com")
    page.get_by_label("I am a new customer and want to checkout as a guest").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/checkout/shipping-address/$"))
    for asked_elsewhere in ("City", "State/County", "Post/Zip-code", "Country"):
        assert page.get_by_label(asked_elsewhere).count() == 0

    page.get_by_label("Full name").fill("Tan Mei Ling")
    page.get_by_label("Block and street").fill("Blk 123 Ang Mo Kio Avenue 3")
    page.get_by_label("Unit number").fill("#03-04")
    page.get_by_label("Postal code").fill("12345")
    page.get_by_label("Phone number").fill("9123 4567")
    page.get_by_role("button", name="Continue").click()

    error = page.get_by_text(
        "Please enter your six-digit Singapore postal code, for example 079903."
    )
    error.wait_for(state="visible")
    assert re.search(r"/checkout/shipping-address/$", page.url)
    page.get_by_label("Postal code").fill("560123")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/checkout/payment-details/$"))  # one delivery method: chosen
    _enter_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay S$26.90").click()

    page.wait_for_url(re.compile(r"/checkout/thank-you/$"))
    address = Order.objects.get().shipping_address
    assert (address.line1, address.line2, address.postcode, address.line4) == (
        "Blk 123 Ang Mo Kio Avenue 3",
        "#03-04",
        "560123",
        "Singapore",
    )
    assert page.get_by_text("560123").first.is_visible()
