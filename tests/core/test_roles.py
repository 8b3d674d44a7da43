"""Who may open which dashboard pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("dashboard:catalogue-product-list")
ORDERS = reverse("dashboard:order-list")
OFFERS = reverse("dashboard:offer-list")
VOUCHERS = reverse("dashboard:voucher-list")
REVIEWS = reverse("dashboard:reviews-list")


def test_clinic_staff_run_the_catalogue_orders_offers_vouchers_and_reviews(
    client, clinic_staff, catalogue
):
    client.force_login(clinic_staff)

    for url in (CATALOGUE, ORDERS, OFFERS, VOUCHERS, REVIEWS):
        assert client.get(url).status_code == 200, url
    page = client.get(CATALOGUE).content.decode()
    assert "Tuina Acupressure" in page


def test_an_accountant_reads_orders_but_not_the_catalogue(client, accountant, catalogue):
    client.force_login(accountant)

    assert client.get(ORDERS).status_code == 200
    assert client.get(CATALOGUE).status_code == 403
    assert client.get(OFFERS).status_code == 403
    assert client.get(reverse("dashboard:catalogue-product-create")).status_code == 403


def test_a_patient_gets_no_dashboard(client, patient):
    client.force_login(patient)

    for url in (reverse("dashboard:index"), CATALOGUE, ORDERS):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "login" in response["Location"], url


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(ORDERS)

    assert response.status_code == 302
    assert "login" in response["Location"]
