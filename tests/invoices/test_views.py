"""Who downloads which tax document, from the pages that list them."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory, paid_order_create, refund_record
from tests.invoices.conftest import invoice_of, pdf_text

pytestmark = pytest.mark.django_db


def _download(client, url: str):
    response = client.get(url)
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    return response


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/documents/[^"]+)"', html)


@pytest.fixture
def patient_order(catalogue, patient):
    order = paid_order_create(items=[("TUI-5", 1)], user=patient)
    refund_record(order=order, amount=order.total_incl_tax / 2, refunded_at=order.date_placed)
    return order


def test_a_patient_downloads_their_own_documents_from_the_order_page(
    client, patient, patient_order
):
    client.force_login(patient)
    page = client.get(reverse("customer:order", kwargs={"order_number": patient_order.number}))
    links = _links(page.content.decode())

    assert len(links) == 2  # the invoice and the credit note
    invoice = _download(client, links[0])
    assert invoice.status_code == 200
    assert invoice_of(patient_order).number in pdf_text(invoice.content)
    assert "Credit Note" in pdf_text(_download(client, links[1]).content)


def test_a_patient_gets_nothing_of_another_patients_order(client, patient_order):
    other = UserFactory()
    client.force_login(other)
    url = reverse("invoices:download", kwargs={"pk": invoice_of(patient_order).pk})

    assert _download(client, url).status_code == 404


def test_anonymous_visitors_get_nothing(client, patient_order):
    guest_order = paid_order_create(items=[("ACU-1", 1)], guest_email="mei@example.com")
    for order in (patient_order, guest_order):
        url = reverse("invoices:download", kwargs={"pk": invoice_of(order).pk})
        assert _download(client, url).status_code == 404


def test_staff_and_accountants_download_every_order_s_from_the_dashboard(
    client, clinic_staff, accountant, patient_order
):
    for user in (clinic_staff, accountant):
        client.force_login(user)
        page = client.get(
            reverse("dashboard:order-detail", kwargs={"number": patient_order.number})
        )
        assert page.status_code == 200
        links = _links(page.content.decode())
        assert len(links) == 2
        assert all(_download(client, link).status_code == 200 for link in links)


def test_a_guest_downloads_only_after_the_order_status_check(client, catalogue):
    order = paid_order_create(items=[("ACU-5", 1)], guest_email="Mei@example.com")
    kwargs = {"order_number": order.number, "hash": order.verification_hash()}
    download = reverse("invoices:guest-download", kwargs={**kwargs, "pk": invoice_of(order).pk})

    assert _download(client, download).status_code == 404  # no email given yet
    client.post(reverse("customer:anon-order-form", kwargs=kwargs), {"email": "someone@else.com"})
    assert _download(client, download).status_code == 404

    page = client.post(
        reverse("customer:anon-order-form", kwargs=kwargs),
        {"email": "mei@example.com"},
        follow=True,
    )
    (link,) = _links(page.content.decode())
    assert link == download
    response = _download(client, download)
    assert response.status_code == 200
    assert invoice_of(order).number in pdf_text(response.content)


def test_a_guest_link_never_opens_another_order_s_document(client, catalogue):
    mine = paid_order_create(items=[("ACU-1", 1)], guest_email="mei@example.com")
    theirs = paid_order_create(items=[("ACU-1", 1)], guest_email="mei@example.com")
    kwargs = {"order_number": mine.number, "hash": mine.verification_hash()}
    client.post(reverse("customer:anon-order-form", kwargs=kwargs), {"email": "mei@example.com"})
    url = reverse("invoices:guest-download", kwargs={**kwargs, "pk": invoice_of(theirs).pk})

    assert _download(client, url).status_code == 404


def test_downloads_answer_get_only(client, patient, patient_order):
    client.force_login(patient)
    url = reverse("invoices:download", kwargs={"pk": invoice_of(patient_order).pk})

    assert client.post(url).status_code == 405


def test_a_stored_document_is_served_in_a_few_queries(
    client, patient, patient_order, django_assert_max_num_queries
):
    client.force_login(patient)
    url = reverse("invoices:download", kwargs={"pk": invoice_of(patient_order).pk})
    first = client.get(url)  # renders it once

    # The session, the user, the document with its order; the request's savepoint.
    with django_assert_max_num_queries(5):
        again = client.get(url)
    assert again.content == first.content
