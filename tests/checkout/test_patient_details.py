"""Who a treatment is for: the checkout asks the patient's name and Singapore mobile number."""

import pytest
from django.urls import reverse

from shop.checkout.forms import MOBILE_ERROR
from shop.customer.models import PatientProfile
from shop.packages.models import PackageCredit
from shop.payments.models import PaymentIntent

VISA = "4242424242424242"
PATIENT_STEP = reverse("checkout:patient-details")


def _paid(shopper, localstripe):
    response = shopper.pay(localstripe.card(VISA))
    assert response.status_code == 200, response.content
    assert response.json()["redirect"] == reverse("checkout:thank-you")
    return PackageCredit.objects.get()


def test_a_guest_buying_a_treatment_is_asked_who_it_is_for_and_the_credit_keeps_it(
    shopper, localstripe
):
    shopper.add("TUI-5")
    page = shopper.as_guest("mei@example.com", patient=False)
    assert page.redirect_chain[-1][0] == PATIENT_STEP
    assert "Who is the treatment for?" in page.content.decode()

    page = shopper.tell_patient(name="  Tan   Mei Ling ", phone="+65 9123-4567")
    assert page.redirect_chain[-1][0] == reverse("checkout:payment-details")
    credit = _paid(shopper, localstripe)

    assert (credit.email, credit.name, credit.phone) == (
        "mei@example.com",
        "Tan Mei Ling",
        "+6591234567",
    )
    checkout = PaymentIntent.objects.get().checkout
    assert (checkout["patient_name"], checkout["patient_phone"]) == ("Tan Mei Ling", "+6591234567")
    assert not PatientProfile.objects.exists()  # a guest has no account to keep it in


@pytest.mark.parametrize(
    "typed, kept",
    [("91234567", "+6591234567"), ("8123 4567", "+6581234567"), ("65 9876 5432", "+6598765432")],
)
def test_singapore_mobile_numbers_are_kept_in_one_form(shopper, typed, kept):
    shopper.add("TUI-5")
    shopper.as_guest(patient=False)

    shopper.tell_patient(phone=typed)

    assert shopper.client.session["checkout_data"]["patient"]["phone"] == kept


@pytest.mark.parametrize(
    "phone",
    ["6123 4567", "9123 456", "912345678", "+60 12 345 6789", "call me", ""],
    ids=["landline", "seven-digits", "nine-digits", "malaysia", "words", "empty"],
)
def test_a_number_that_is_not_a_singapore_mobile_is_a_form_error(shopper, phone):
    shopper.add("TUI-5")
    shopper.as_guest(patient=False)

    page = shopper.tell_patient(phone=phone)

    assert page.status_code == 200
    assert page.redirect_chain == []
    html = page.content.decode()
    assert "Please correct the details below." in html
    assert (MOBILE_ERROR if phone else "Please enter a mobile number the clinic can call.") in html
    assert not shopper.client.session["checkout_data"].get("patient")  # nothing kept


def test_a_missing_name_is_a_form_error(shopper):
    shopper.add("TUI-5")
    shopper.as_guest(patient=False)

    page = shopper.tell_patient(name="   ")

    assert "Please enter the patient&#x27;s full name." in page.content.decode()


def test_the_payment_step_is_not_reached_before_the_patient_is_known(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest(patient=False)

    page = shopper.client.get(reverse("checkout:payment-details"), follow=True)
    assert page.redirect_chain[-1][0] == PATIENT_STEP
    assert "Please tell us who the treatment is for" in page.content.decode()

    # The page's script posting anyway gets the same answer in JSON; nothing is charged.
    response = shopper.client.post(
        reverse("checkout:pay"), {"payment_method": localstripe.card(VISA), "amount": 39800}
    )
    assert response.status_code == 400
    assert response.json()["redirect"] == PATIENT_STEP
    assert not PaymentIntent.objects.exists()


def test_a_basket_without_treatments_asks_no_patient_details(shopper):
    shopper.add("WP-MOXA")

    page = shopper.as_guest(patient=False)

    assert page.redirect_chain[-1][0] == reverse("checkout:shipping-address")


def test_a_signed_in_patient_is_asked_once_and_the_account_keeps_it(shopper, localstripe, patient):
    shopper.client.force_login(patient)
    shopper.add("TUI-5")
    first = shopper.client.get(reverse("checkout:index"), follow=True)
    assert first.redirect_chain[-1][0] == PATIENT_STEP
    shopper.tell_patient(name="Lim Ah Kow", phone="8765 4321")
    assert _paid(shopper, localstripe).phone == "+6587654321"
    profile = PatientProfile.objects.get(user=patient)
    assert (profile.name, profile.phone) == ("Lim Ah Kow", "+6587654321")

    shopper.add("TUI-5")  # the next treatment: not asked again
    again = shopper.client.get(reverse("checkout:index"), follow=True)

    assert again.redirect_chain[-1][0] == reverse("checkout:payment-details")
    shopper.pay(localstripe.card(VISA))
    latest = PackageCredit.objects.order_by("-pk").first()
    assert (latest.user, latest.name, latest.phone) == (patient, "Lim Ah Kow", "+6587654321")


def test_the_patient_step_is_only_for_a_checkout_under_way(client, catalogue):
    page = client.get(PATIENT_STEP)

    assert page.status_code == 302
    assert page["Location"] == reverse("basket:summary")
