"""A signed-in patient's checkout pages, viewed again: only their session, user and page.

The frame every signed-in page shares (header, menu, footer) runs no query on a repeated
view: the basket summary and the menu's Dashboard link are kept in Redis, the header and
footer are kept fragments. What is left on the address page is the patient's session and
user, the request's savepoint and its release, and the address book; on the payment page
the look for a payment left half-way instead of the address book.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.checkout.conftest import Shopper

pytestmark = pytest.mark.django_db

# Before the frame's work: two more each (the menu's permissions).
ADDRESS_QUERIES = 5
PAYMENT_QUERIES = 5


@pytest.fixture
def walked(singapore, catalogue, patient) -> Shopper:
    """A signed-in patient with a wellness product, a delivery address and method."""
    client = Client()
    client.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
    shopper = Shopper(client)
    shopper.add("WP-MOXA", 1)
    client.get(reverse("checkout:index"))
    assert shopper.ship_to_singapore(line1="2 Orchard Turn").status_code == 302
    shopper.choose_shipping("flat-rate")
    return shopper


@pytest.mark.parametrize(
    ("name", "budget"),
    [
        ("checkout:shipping-address", ADDRESS_QUERIES),
        ("checkout:payment-details", PAYMENT_QUERIES),
    ],
)
def test_a_patients_checkout_page_viewed_again_runs_few_queries(
    walked, name, budget, django_assert_max_num_queries
):
    client = walked.client
    assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-basket__count">1<' in html  # the header's own basket count
    assert 'id="logout_form"' in html and ">Dashboard</a>" not in html
