"""The checkout's payment step against a real localstripe process."""

import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import ConditionalOfferFactory, RangeFactory

from shop.payments.models import PaymentIntent
from tests.factories import site_discount_create

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")

VISA = "4242424242424242"
DECLINED = "4000000000000341"
SECURE = "4000002500003155"


def _thank_you(shopper, response) -> Order:
    assert response.status_code == 200, response.content
    assert response.json()["redirect"] == reverse("checkout:thank-you")
    page = shopper.client.get(reverse("checkout:thank-you"))
    order = page.context["order"]
    assert order.number in page.content.decode()
    return order


def test_the_payment_page_shows_the_total_and_the_offline_card_field(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest()

    page = shopper.client.get(reverse("checkout:payment-details"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Pay S$398.00" in html
    assert f'src="{localstripe.url}/js.stripe.com/v3/"' in html
    assert "shop/js/checkout-payment.js" in html
    assert 'id="card-element"' in html
    assert "Preview" not in html and "Delivery address" not in html  # a package is not shipped


def test_a_guest_pays_for_a_package_and_gets_the_order(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest("mei@example.com")

    order = _thank_you(shopper, shopper.pay(localstripe.card(VISA)))

    assert order.total_incl_tax == Decimal("398.00")
    assert order.guest_email == "mei@example.com"
    assert order.shipping_code == "no-shipping-required"
    assert order.sources.get().reference == PaymentIntent.objects.get().intent_id


def test_a_signed_in_patient_pays_for_products_shipped_at_the_flat_rate(
    shopper, patient, localstripe
):
    shopper.client.force_login(patient)
    shopper.add("WP-MOXA", 2)
    shopper.client.get(reverse("checkout:index"))
    shopper.ship_to_singapore()
    shopper.choose_shipping("flat-rate")

    order = _thank_you(shopper, shopper.pay(localstripe.card(VISA)))

    assert order.user == patient
    assert order.shipping_incl_tax == Decimal("8.00")
    assert order.total_incl_tax == Decimal("45.80")
    assert order.shipping_address.country.iso_3166_1_a2 == "SG"
    assert order.shipping_address.postcode == "079903"


def test_delivery_is_free_over_the_threshold(shopper, localstripe):
    shopper.add("WP-KNEE", 3)
    shopper.as_guest()
    shopper.ship_to_singapore()
    # Free delivery is the one choice: Oscar chooses it and goes on to the payment.
    page = shopper.client.get(reverse("checkout:shipping-method"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("checkout:payment-details")
    assert "Free delivery (Singapore)" in page.content.decode()

    order = _thank_you(shopper, shopper.pay(localstripe.card(VISA)))

    assert order.shipping_incl_tax == Decimal("0.00")
    assert order.total_incl_tax == Decimal("96.00")


def test_a_declined_card_shows_why_and_keeps_the_basket(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest()

    response = shopper.pay(localstripe.card(DECLINED))

    assert response.status_code == 402
    assert response.json()["error"] == "Your card was declined."
    assert not Order.objects.exists()
    basket = shopper.client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 1 and basket.status == Basket.OPEN

    order = _thank_you(shopper, shopper.pay(localstripe.card(VISA)))
    assert order.total_incl_tax == Decimal("398.00")
    assert PaymentIntent.objects.filter(status="canceled").count() == 1


def test_3d_secure_passed_places_the_order(shopper, localstripe):
    shopper.add("ACU-5")
    shopper.as_guest()

    answer = shopper.pay(localstripe.card(SECURE)).json()
    assert answer["action"] == "authenticate"
    intent = PaymentIntent.objects.get()
    assert answer["client_secret"].startswith(intent.intent_id)
    localstripe.authenticate(intent.intent_id, success=True)

    order = _thank_you(shopper, shopper.resume())
    assert order.total_incl_tax == Decimal("355.00")


def test_3d_secure_failed_shows_why_and_keeps_the_basket(shopper, localstripe):
    shopper.add("ACU-5")
    shopper.as_guest()
    shopper.pay(localstripe.card(SECURE))
    localstripe.authenticate(PaymentIntent.objects.get().intent_id, success=False)

    response = shopper.resume()

    assert response.status_code == 402
    assert "could not authenticate" in response.json()["error"]
    assert not Order.objects.exists()
    basket = shopper.client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 1


def test_paying_twice_gives_one_payment_and_one_order(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest()
    order = _thank_you(shopper, shopper.pay(localstripe.card(VISA)))

    again = shopper.pay(localstripe.card(VISA))

    assert again.status_code == 302  # the basket is empty now: back to it, nothing charged
    assert Order.objects.count() == 1
    assert PaymentIntent.objects.count() == 1
    assert Order.objects.get() == order


def test_a_missing_card_is_a_form_error(shopper):
    shopper.add("TUI-5")
    shopper.as_guest()

    response = shopper.client.post(
        reverse("checkout:pay"), {"payment_method": "<script>", "amount": shopper.shown_total()}
    )

    assert response.status_code == 400
    assert "did not reach us" in response.json()["error"]
    assert not PaymentIntent.objects.exists()


def test_a_payment_without_the_shown_total_is_refused(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest()

    response = shopper.client.post(
        reverse("checkout:pay"), {"payment_method": localstripe.card(VISA)}
    )

    assert response.status_code == 400
    assert "reload the payment page" in response.json()["error"]
    assert not PaymentIntent.objects.exists()
    assert not Order.objects.exists()


def test_an_amount_that_does_not_match_places_no_order(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest()
    shopper.pay(localstripe.card(SECURE))
    # The basket changes while the bank authenticates (it cannot in the shop: it is frozen).
    PaymentIntent.objects.get().basket.lines.update(quantity=3)
    localstripe.authenticate(PaymentIntent.objects.get().intent_id, success=True)

    response = shopper.resume()

    assert response.status_code == 402
    assert "does not match your basket" in response.json()["error"]
    assert not Order.objects.exists()
    assert "S$398.00" in PaymentIntent.objects.get().problem


def test_the_preview_step_goes_to_the_payment_page(shopper):
    shopper.add("TUI-5")
    shopper.as_guest()

    response = shopper.client.get(reverse("checkout:preview"))

    assert response.status_code == 302
    assert response.url == reverse("checkout:payment-details")


@pytest.mark.django_db(transaction=True)
def test_two_tabs_paying_at_once_make_one_payment_and_one_order(shopper, localstripe, client):
    from django.db import connection
    from django.test import Client

    shopper.add("TUI-5")
    shopper.as_guest()
    other_tab = Client()
    other_tab.cookies = client.cookies  # the same browser session in a second tab
    cards = [localstripe.card(VISA), localstripe.card(VISA)]
    barrier = threading.Barrier(2, timeout=60)  # a failing tab must not hang the run
    answers = []

    shown = shopper.shown_total()

    def pay(tab, card):
        barrier.wait()
        try:
            answers.append(
                tab.post(reverse("checkout:pay"), {"payment_method": card, "amount": shown})
            )
        finally:
            connection.close()

    tabs = [
        threading.Thread(target=pay, args=(tab, card))
        for tab, card in zip([client, other_tab], cards, strict=True)
    ]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=120)

    assert Order.objects.count() == 1
    assert PaymentIntent.objects.exclude(status="canceled").count() == 1
    assert PaymentIntent.objects.get().status == "succeeded"
    assert Basket.objects.get().status == Basket.SUBMITTED
    # Each tab ends on the thank-you page or back at the (now empty) basket; neither failed.
    for answer in answers:
        assert answer.status_code in (200, 302)
        if answer.status_code == 200:
            assert answer.json()["redirect"] == reverse("checkout:thank-you")
    intent = localstripe.client.v1.payment_intents.retrieve(PaymentIntent.objects.get().intent_id)
    assert intent.amount == 39800


def test_reloading_the_page_during_3d_secure_gives_the_basket_back(shopper, localstripe):
    shopper.add("ACU-5")
    shopper.as_guest()
    shopper.pay(localstripe.card(SECURE))

    page = shopper.client.get(reverse("checkout:payment-details"))

    assert page.status_code == 200
    assert "Pay S$355.00" in page.content.decode()
    assert PaymentIntent.objects.get().status == "canceled"
    order = _thank_you(shopper, shopper.pay(localstripe.card(VISA)))
    assert order.total_incl_tax == Decimal("355.00")


def test_coming_back_after_3d_secure_finished_elsewhere_shows_the_order(shopper, localstripe):
    shopper.add("ACU-5")
    shopper.as_guest()
    shopper.pay(localstripe.card(SECURE))
    localstripe.authenticate(PaymentIntent.objects.get().intent_id, success=True)

    page = shopper.client.get(reverse("checkout:payment-details"))

    assert page.status_code == 302
    assert page.url == reverse("checkout:thank-you")
    assert Order.objects.get().total_incl_tax == Decimal("355.00")


def test_stripe_unreachable_is_a_clear_message_and_the_basket_stays(shopper, settings):
    from tests.fixtures.services import free_port

    shopper.add("TUI-5")
    shopper.as_guest()
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nothing listens there

    response = shopper.pay("card_anything")

    assert response.status_code == 402
    assert "could not reach our card processor" in response.json()["error"]
    assert not Order.objects.exists()
    basket = shopper.client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 1 and basket.status == Basket.OPEN


def test_only_singapore_addresses_are_accepted(shopper):
    shopper.add("WP-MOXA")
    shopper.as_guest()

    page = shopper.ship_to_singapore(
        first_name="Ali Hassan",
        line1="1 Jalan Ampang",
        line2="",
        postcode="50450",
        country="MY",
        phone_number="+60312345678",
    )

    assert page.status_code == 200
    form = page.context["form"]
    assert "country" not in form.fields  # Singapore is the one choice, so none is offered
    assert form.errors["postcode"] == [
        "Please enter your six-digit Singapore postal code, for example 079903."
    ]
    assert form.errors["phone_number"] == [
        "Please enter a Singapore phone number, for example 9123 4567."
    ]
    assert not Order.objects.exists()


def test_the_delivery_address_form_asks_for_a_singapore_address(shopper):
    shopper.add("WP-MOXA")
    shopper.as_guest()

    page = shopper.client.get(reverse("checkout:shipping-address"))

    html = page.content.decode()
    labels = [field.label for field in page.context["form"]]
    assert labels == [
        "Full name",
        "Block and street",
        "Unit number",
        "Building name",
        "Postal code",
        "Phone number",
        "Delivery instructions",
    ]
    for asked_elsewhere in ("City", "State/County", "Post/Zip-code", "Country"):
        assert asked_elsewhere not in html
    assert "#03-04" in html


@pytest.mark.parametrize("postcode", ["12345", "ABCDEF", "1234567", "", "0799 03x"])
def test_a_postal_code_not_of_six_digits_is_a_form_error(shopper, localstripe, postcode):
    shopper.add("WP-MOXA")
    shopper.as_guest()

    page = shopper.ship_to_singapore(postcode=postcode)

    assert page.status_code == 200
    form = page.context["form"]
    expected = (
        "This field is required."
        if not postcode
        else ("Please enter your six-digit Singapore postal code, for example 079903.")
    )
    assert form.errors == {"postcode": [expected]}
    assert expected in page.content.decode()
    # The patient cannot skip ahead to paying: there is no delivery address yet.
    assert shopper.client.get(reverse("checkout:shipping-method"))["Location"] == reverse(
        "checkout:shipping-address"
    )
    paid = shopper.pay(localstripe.card(VISA))
    assert (paid.status_code, paid["Location"]) == (302, reverse("checkout:shipping-address"))
    assert not PaymentIntent.objects.exists()
    assert not Order.objects.exists()


@pytest.mark.parametrize("phone", ["12345", "+44 20 7946 0958", "call me"])
def test_a_phone_number_not_of_singapore_is_a_form_error(shopper, phone):
    shopper.add("WP-MOXA")
    shopper.as_guest()

    page = shopper.ship_to_singapore(phone_number=phone)

    assert page.context["form"].errors == {
        "phone_number": ["Please enter a Singapore phone number, for example 9123 4567."]
    }


def test_a_singapore_address_goes_on_to_the_delivery_method_and_into_the_order(
    shopper, localstripe
):
    shopper.add("WP-MOXA")
    shopper.as_guest()

    response = shopper.ship_to_singapore(postcode=" 238 801 ", phone_number="+65 6123 4567")

    assert response["Location"] == reverse("checkout:shipping-method")
    # The one delivery method (flat rate under S$80) is chosen for the patient: on to paying.
    page = shopper.client.get(reverse("checkout:shipping-method"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("checkout:payment-details")
    assert "Pay S$26.90" in page.content.decode()
    shopper.choose_shipping("flat-rate")
    order = _thank_you(shopper, shopper.pay(localstripe.card(VISA)))
    address = order.shipping_address
    assert (address.first_name, address.line1, address.line2) == (
        "Tan Mei Ling",
        "10 Anson Road",
        "#03-04",
    )
    assert (address.line4, address.state, address.postcode) == ("Singapore", "", "238801")
    assert address.country.iso_3166_1_a2 == "SG"
    assert str(address.phone_number) == "+6561234567"


@pytest.mark.parametrize("address_id", ["999999", "abc", "", "1.5", "theirs"])
def test_shipping_to_an_address_not_in_ones_own_book_is_not_found(shopper, patient, address_id):
    other = get_user_model().objects.create_user(
        username="other", email="other@example.com", password="x"
    )
    theirs = UserAddress.objects.create(
        user=other,
        first_name="Wei",
        last_name="Lim",
        line1="1 Orchard Road",
        line4="Singapore",
        postcode="238801",
        country_id="SG",
    )
    shopper.client.force_login(patient)
    shopper.add("WP-MOXA")
    shopper.client.get(reverse("checkout:index"))

    response = shopper.client.post(
        reverse("checkout:shipping-address"),
        {
            "address_id": str(theirs.pk) if address_id == "theirs" else address_id,
            "action": "ship_to",
        },
    )

    assert response.status_code == 404
    page = shopper.client.get(reverse("checkout:shipping-method"))
    assert page.status_code == 302  # no address was chosen: back to the address step
    assert page["Location"] == reverse("checkout:shipping-address")


def test_shipping_to_an_address_in_ones_own_book_goes_on(shopper, patient):
    mine = UserAddress.objects.create(
        user=patient,
        first_name="Mei Ling",
        last_name="Tan",
        line1="10 Anson Road",
        line4="Singapore",
        postcode="079903",
        country_id="SG",
    )
    shopper.client.force_login(patient)
    shopper.add("WP-MOXA")

    response = shopper.client.post(
        reverse("checkout:shipping-address"), {"address_id": str(mine.pk), "action": "ship_to"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:shipping-method")


def test_a_basket_changed_in_another_tab_is_not_charged_before_the_patient_sees_the_total(
    shopper, localstripe
):
    shopper.add("TUI-5")
    shopper.as_guest()
    assert (
        "Pay S$398.00" in shopper.client.get(reverse("checkout:payment-details")).content.decode()
    )
    shopper.add("ACU-1")  # another tab, while the payment page still says S$398.00

    response = shopper.client.post(
        reverse("checkout:pay"), {"payment_method": localstripe.card(VISA), "amount": "39800"}
    )

    assert response.status_code == 409
    assert response.json()["redirect"] == reverse("checkout:payment-details")
    assert not PaymentIntent.objects.exists()
    assert not Order.objects.exists()
    page = shopper.client.get(reverse("checkout:payment-details")).content.decode()
    assert "Your basket has changed: the total is now S$476.00." in page
    assert "Pay S$476.00" in page

    order = _thank_you(
        shopper,
        shopper.client.post(
            reverse("checkout:pay"), {"payment_method": localstripe.card(VISA), "amount": "47600"}
        ),
    )
    assert order.total_incl_tax == Decimal("476.00")
    assert order.sources.get().amount_debited == Decimal("476.00")


@pytest.mark.parametrize("amount", ["-1", "lots", "1.5"])
def test_a_garbled_total_is_a_form_error(shopper, amount):
    shopper.add("TUI-5")
    shopper.as_guest()

    response = shopper.client.post(
        reverse("checkout:pay"), {"payment_method": "pm_card_visa", "amount": amount}
    )

    assert response.status_code == 400
    assert response.json()["error"]
    assert not PaymentIntent.objects.exists()


def test_an_order_with_nothing_to_pay_says_so_instead_of_going_round_in_circles(
    shopper, localstripe
):
    site_discount_create(percent=100)
    shopper.add("TUI-5")
    shopper.as_guest()

    page = shopper.client.get(reverse("checkout:payment-details"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "There is nothing to pay for this order, so it cannot be placed online." in html
    assert 'id="pay-button"' not in html
    response = shopper.pay(localstripe.card(VISA))  # a POST made without the page
    assert response.status_code == 400
    assert "nothing to pay" in response.json()["error"]
    assert not PaymentIntent.objects.exists()
    assert not Order.objects.exists()
    basket = shopper.client.get(reverse("basket:summary")).context["basket"]
    assert basket.status == Basket.OPEN and basket.num_items == 1


def test_an_order_below_stripes_minimum_charge_is_not_sent_to_stripe(shopper, localstripe):
    # An offer takes S$397.70 off the S$398.00 package: S$0.30 is left, and Stripe
    # charges no less than S$0.50.
    everything = RangeFactory(includes_all_products=True)
    ConditionalOfferFactory(
        benefit__type=Benefit.FIXED,
        benefit__value=Decimal("397.70"),
        benefit__range=everything,
        condition__type=Condition.COUNT,
        condition__value=1,
        condition__range=everything,
    )
    shopper.add("TUI-5")
    shopper.as_guest()

    page = shopper.client.get(reverse("checkout:payment-details"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "You pay S$0.30" in html
    assert "less than the S$0.50 we can take by card, so it cannot be paid online." in html
    assert "Please call us on +65 6000 0000" in html
    assert 'id="pay-button"' not in html
    response = shopper.client.post(
        reverse("checkout:pay"), {"payment_method": localstripe.card(VISA), "amount": 30}
    )
    assert response.status_code == 400
    assert "cannot be paid online" in response.json()["error"]
    assert not PaymentIntent.objects.exists()
    assert not Order.objects.exists()
    basket = shopper.client.get(reverse("basket:summary")).context["basket"]
    assert basket.status == Basket.OPEN and basket.num_items == 1


def test_editing_a_saved_address_from_the_checkout_uses_the_singapore_form(shopper, patient):
    mine = UserAddress.objects.create(
        user=patient,
        first_name="Tan Mei Ling",
        line1="10 Anson Road",
        line4="Singapore",
        postcode="079903",
        country_id="SG",
    )
    shopper.client.force_login(patient)
    shopper.add("WP-MOXA")
    url = reverse("checkout:user-address-update", kwargs={"pk": mine.pk})

    page = shopper.client.get(url)
    assert "Postal code" in page.content.decode() and "State/County" not in page.content.decode()
    refused = shopper.client.post(
        url,
        {
            "first_name": "Tan Mei Ling",
            "line1": "10 Anson Road",
            "postcode": "1234",
            "phone_number": "91234567",
        },
    )
    assert refused.context["form"].errors == {
        "postcode": ["Please enter your six-digit Singapore postal code, for example 079903."]
    }
    mine.refresh_from_db()
    assert mine.postcode == "079903"

    saved = shopper.client.post(
        url,
        {
            "first_name": "Tan Mei Ling",
            "line1": "1 Orchard Road",
            "line2": "#12-01",
            "postcode": "238801",
            "phone_number": "91234567",
        },
    )

    assert saved["Location"] == reverse("checkout:shipping-address")
    mine.refresh_from_db()
    assert (mine.line1, mine.line2, mine.line4, mine.postcode) == (
        "1 Orchard Road",
        "#12-01",
        "Singapore",
        "238801",
    )
    assert str(mine.phone_number) == "+6591234567"
