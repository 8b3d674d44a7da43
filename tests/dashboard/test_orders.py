"""The order dashboard: accountants read orders, clinic staff also change them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(place_paid_order):
    return place_paid_order(skus={"TUI-5": 1})


def _change_status(client, order, status: str):
    url = reverse("dashboard:order-detail", kwargs={"number": order.number})
    return client.post(url, {"order_action": "change_order_status", "new_status": status})


def test_an_accountant_reads_an_order_but_cannot_change_it(client, accountant, order):
    client.force_login(accountant)
    url = reverse("dashboard:order-detail", kwargs={"number": order.number})

    assert client.get(url).status_code == 200
    assert _change_status(client, order, "Completed").status_code == 403
    note = client.post(url, {"order_action": "save_note", "message": "paid in cash"})
    assert note.status_code == 403
    bulk = client.post(
        reverse("dashboard:order-list"),
        {
            "action": "change_order_statuses",
            "selected_order": [order.pk],
            "new_status": "Completed",
        },
    )
    assert bulk.status_code == 403

    order.refresh_from_db()
    assert order.status == "Paid"
    assert not order.notes.exists()


def test_an_accountant_may_still_download_the_selected_orders(client, accountant, order):
    client.force_login(accountant)

    response = client.post(
        reverse("dashboard:order-list"),
        {"action": "download_selected_orders", "selected_order": [order.pk]},
    )

    assert response.status_code == 200
    assert order.number in response.content.decode()


def test_clinic_staff_change_an_orders_status(client, clinic_staff, order):
    client.force_login(clinic_staff)

    response = _change_status(client, order, "Completed")

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "Completed"
