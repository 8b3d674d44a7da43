"""My data (PDPA): the patient downloads everything held, asks for deletion, staff carry it out."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from shop.privacy.models import DeletionRequest
from shop.privacy.registry import data_section_register, data_sections
from tests.core.urlmap import world_create
from tests.factories import UserFactory, paid_order_create

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Email = get_model("communication", "Email")
User = get_user_model()


def test_the_download_holds_profile_addresses_orders_and_emails(client, catalogue, patient):
    world = world_create(owner=patient)
    other_order = paid_order_create(
        items=[("TUI-5", 1)], user=UserFactory(email="other@example.com")
    )
    client.force_login(patient)

    assert "Download my data" in client.get(reverse("privacy:my-data")).content.decode()
    response = client.get(reverse("privacy:my-data-download"))
    data = json.loads(response.content)

    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert data["profile"]["email"] == patient.email
    assert [a["postcode"] for a in data["addresses"]] == ["238830"]
    assert [o["number"] for o in data["orders"]] == [world["order"].number]
    assert other_order.number not in response.content.decode()
    assert data["orders"][0]["total_incl_tax"] == str(world["order"].total_incl_tax)
    assert [e["subject"] for e in data["emails_sent"]] == ["Your order"]


def test_other_apps_add_their_sections(client, patient):
    sections = data_sections()
    data_section_register("package_credits", lambda *, user: [{"sessions_left": 4}])
    try:
        client.force_login(patient)
        data = json.loads(client.get(reverse("privacy:my-data-download")).content)
    finally:
        from shop.privacy import registry

        registry._READERS.clear()
        registry._READERS.update(sections)

    assert data["package_credits"] == [{"sessions_left": 4}]


def test_the_download_needs_a_signed_in_patient(client):
    response = client.get(reverse("privacy:my-data-download"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_deletion_request_is_carried_out_by_staff_and_keeps_the_amounts(
    client, catalogue, patient
):
    world = world_create(owner=patient)
    order = world["order"]
    total, lines = order.total_incl_tax, order.lines.count()
    client.force_login(patient)

    assert client.get(reverse("privacy:deletion-request")).status_code == 405
    client.post(reverse("privacy:deletion-request"))
    page = client.get(reverse("privacy:my-data")).content.decode()
    assert 'id="deletion-pending"' in page

    root = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(root)
    listing = client.get(reverse("privacy-dashboard:privacy-request-list")).content.decode()
    assert patient.email in listing
    deletion = DeletionRequest.objects.get()
    client.post(reverse("privacy-dashboard:privacy-request-carry-out", args=[deletion.pk]))

    assert not User.objects.filter(pk=patient.pk).exists()
    assert not UserAddress.objects.filter(postcode="238830", user__isnull=False).exists()
    assert not Email.objects.filter(email=patient.email).exists()
    order = Order.objects.get(pk=order.pk)
    assert order.user is None and patient.email not in order.email
    assert (order.total_incl_tax, order.lines.count()) == (total, lines)
    if order.shipping_address:
        assert order.shipping_address.first_name == "(deleted)"
        assert str(order.shipping_address.phone_number or "") == ""
    deletion.refresh_from_db()
    assert deletion.status == DeletionRequest.Status.DONE and deletion.done_by == root
    assert deletion.summary["orders_anonymised"] == 1


@pytest.mark.parametrize("role", ["patient", "clinic_staff", "accountant"])
def test_only_those_allowed_see_the_deletion_requests(client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("privacy-dashboard:privacy-request-list"))

    assert response.status_code in (302, 403)


def test_a_signed_in_patients_account_links_to_my_data(client, patient):
    client.force_login(patient)
    my_data = reverse("privacy:my-data")

    page = client.get(reverse("customer:profile-view")).content.decode()

    # Once in the site menu (nav_account.html), once in the account's tabs.
    assert page.count(f'href="{my_data}"') == 2
    assert "My data</a>" in page
