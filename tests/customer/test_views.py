"""A guest's order status page, opened from the confirmation email."""

import pytest
from django.urls import reverse

from tests.factories import paid_order_create


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
