"""A guest's order status page, opened from the confirmation email."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import paid_order_create

UserAddress = get_model("address", "UserAddress")


@pytest.fixture
def singapore(db):
    """Make sure Singapore is the shipping country (a flushed database lost it)."""
    from django.apps import apps

    from shop.shipping.services import shipping_country_ensure

    shipping_country_ensure(apps=apps)


def _status_urls(order) -> tuple[str, str]:
    kwargs = {"order_number": order.number, "hash": order.verification_hash()}
    return reverse("customer:anon-order", kwargs=kwargs), reverse(
        "customer:anon-order-form", kwargs=kwargs
    )


@pytest.mark.parametrize("typed", ["mei@example.com", "MEI@EXAMPLE.COM", " Mei@Example.com "])
def test_a_guest_sees_the_order_whatever_the_case_of_the_email_typed(client, catalogue, typed):
    # At checkout the guest typed "Mei@Example.com"; Oscar keeps "Mei@example.com".
    order = paid_order_create(items=[("TUI-5", 1)], guest_email="Mei@example.com")
    status_url, form_url = _status_urls(order)

    first = client.get(status_url)
    assert first["Location"] == form_url  # the email link asks for the email first
    answered = client.post(form_url, {"email": typed}, follow=True)

    assert answered.redirect_chain[-1][0] == status_url
    html = answered.content.decode()
    assert "Order not found" not in html
    assert order.number in html and "Tuina" in html


@pytest.mark.parametrize("typed", ["mei@example.org", "mei.ling@example.com"])
def test_another_email_finds_no_order(client, catalogue, typed):
    order = paid_order_create(items=[("TUI-5", 1)], guest_email="Mei@example.com")
    status_url, form_url = _status_urls(order)

    answered = client.post(form_url, {"email": typed})

    assert answered.status_code == 200
    assert "Order not found" in answered.content.decode()
    assert client.get(status_url)["Location"] == form_url


def test_a_wrong_link_finds_no_order_even_with_the_right_email(client, catalogue):
    order = paid_order_create(items=[("TUI-5", 1)], guest_email="Mei@example.com")
    other = paid_order_create(items=[("TUI-5", 1)], guest_email="Mei@example.com")
    form_url = reverse(
        "customer:anon-order-form",
        kwargs={"order_number": order.number, "hash": other.verification_hash()},
    )

    answered = client.post(form_url, {"email": "mei@example.com"})

    assert "Order not found" in answered.content.decode()


def test_a_signed_in_patients_order_is_not_shown_as_a_guests(client, catalogue, patient):
    order = paid_order_create(items=[("TUI-5", 1)], user=patient)
    _, form_url = _status_urls(order)

    answered = client.post(form_url, {"email": patient.email})

    assert "Order not found" in answered.content.decode()


def test_the_address_book_asks_for_a_singapore_address(client, patient, singapore):
    client.force_login(patient)
    url = reverse("customer:address-create")

    page = client.get(url)
    html = page.content.decode()
    assert "Postal code" in html and "Unit number" in html
    assert "State/County" not in html and "Post/Zip-code" not in html
    refused = client.post(
        url,
        {
            "first_name": "Tan Mei Ling",
            "line1": "10 Anson Road",
            "postcode": "ABCDEF",
            "phone_number": "91234567",
        },
    )
    assert refused.context["form"].errors == {
        "postcode": ["Please enter your six-digit Singapore postal code, for example 079903."]
    }
    assert not UserAddress.objects.exists()

    saved = client.post(
        url,
        {
            "first_name": "Tan Mei Ling",
            "line1": "10 Anson Road",
            "line2": "#03-04",
            "postcode": "079903",
            "phone_number": "91234567",
        },
    )

    assert saved["Location"] == reverse("customer:address-list")
    address = UserAddress.objects.get(user=patient)
    assert (address.line2, address.line4, address.postcode) == ("#03-04", "Singapore", "079903")
    assert address.country.iso_3166_1_a2 == "SG"
    edit = reverse("customer:address-detail", kwargs={"pk": address.pk})
    assert "Postal code" in client.get(edit).content.decode()
    refused = client.post(
        edit,
        {
            "first_name": "Tan Mei Ling",
            "line1": "10 Anson Road",
            "postcode": "1234567",
            "phone_number": "91234567",
        },
    )
    assert "postcode" in refused.context["form"].errors
    address.refresh_from_db()
    assert address.postcode == "079903"


@pytest.mark.parametrize("name", ["customer:register", "customer:login"])
def test_a_new_patient_registers_and_is_signed_in(client, db, name):
    prefix = "registration-" if name == "customer:login" else ""
    data = {
        f"{prefix}email": "new.patient@example.com",
        f"{prefix}password1": "Xq7!ginseng-root",
        f"{prefix}password2": "Xq7!ginseng-root",
    }
    if prefix:
        data["registration_submit"] = "1"

    answer = client.post(reverse(name), data)

    assert answer.status_code == 302
    assert client.get(reverse("customer:profile-view")).status_code == 200
