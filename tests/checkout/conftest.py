"""A patient's way through the checkout with Django's test client."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class Shopper:
    """Drive the checkout as a patient's browser does (without JavaScript)."""

    last_shown_total: int | None = None

    def __init__(self, client):
        self.client = client

    def add(self, sku: str, quantity: int = 1) -> None:
        product = StockRecord.objects.get(partner_sku=sku).product
        response = self.client.post(
            reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}
        )
        assert response.status_code == 302

    def as_guest(self, email: str = "guest@example.com", *, patient: bool = True):
        """Check out as a guest; for a treatment, say who it is for unless `patient` is False."""
        response = self.client.post(
            reverse("checkout:index"), {"username": email, "options": "anonymous"}, follow=True
        )
        assert response.status_code == 200, response.content
        if patient and response.redirect_chain[-1][0] == reverse("checkout:patient-details"):
            response = self.tell_patient()
        return response

    def tell_patient(self, name: str = "Tan Mei Ling", phone: str = "9123 4567"):
        """Post the patient step (name and mobile) and return the page it leads to."""
        return self.client.post(
            reverse("checkout:patient-details"), {"name": name, "phone": phone}, follow=True
        )

    def ship_to_singapore(self, **fields: str):
        """Post the delivery address form (`fields` change the address) and return the response."""
        address = {
            "first_name": "Tan Mei Ling",
            "line1": "10 Anson Road",
            "line2": "#03-04",
            "postcode": "079903",
            "phone_number": "9123 4567",
        }
        response = self.client.post(reverse("checkout:shipping-address"), address | fields)
        if not fields:
            assert response.status_code == 302, response.context["form"].errors
        return response

    def choose_shipping(self, code: str) -> None:
        response = self.client.post(
            reverse("checkout:shipping-method"), {"method_code": code}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse("checkout:payment-details")

    def shown_total(self) -> int | None:
        """Return the total in cents that the payment page's Pay button shows.

        Once the order is placed the page is gone: a second click on the same page
        (a double submit) sends the total it showed before.
        """
        page = self.client.get(reverse("checkout:payment-details"))
        if page.status_code == 200:
            self.last_shown_total = page.context["order_total_cents"]
        return self.last_shown_total

    def pay(self, payment_method: str):
        """Pay what the payment page shows, as the page's script does."""
        data = {"payment_method": payment_method}
        if (shown := self.shown_total()) is not None:  # no payment page yet, no total
            data["amount"] = shown
        return self.client.post(reverse("checkout:pay"), data)

    def resume(self):
        return self.client.post(reverse("checkout:pay-resume"))


@pytest.fixture
def singapore(db):
    """Make sure Singapore is the shipping country (a flushed database lost it)."""
    from django.apps import apps

    from shop.shipping.services import shipping_country_ensure

    shipping_country_ensure(apps=apps)


@pytest.fixture
def shopper(client, catalogue, singapore, localstripe):
    return Shopper(client)
