"""The patient's My treatments, the order's credits on its pages, claiming a guest's credits."""

import re

from django.core import mail
from django.urls import reverse

from shop.packages import claims, services
from tests.factories import UserFactory, paid_order_create

URL = "/accounts/treatments/"


def test_my_treatments_shows_sessions_left_validity_code_qr_and_history(
    client, catalogue, patient, clinic_staff
):
    credit = paid_order_create(items=[("TUI-5", 1)], user=patient).credits.get()
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    client.force_login(patient)

    page = client.get(URL)

    html = page.content.decode()
    assert page.status_code == 200
    assert "4 of 5 sessions left" in html
    assert f"valid until {credit.valid_until:%-d %B %Y}" in html
    assert credit.code in html and "<svg" in html
    assert f"recorded by {clinic_staff.get_full_name() or clinic_staff.email}" in html
    assert 'href="/accounts/treatments/"' in html  # in the account menu


def test_a_used_up_credit_offers_buy_again(client, catalogue, patient, clinic_staff):
    credit = paid_order_create(items=[("TUI-1", 1)], user=patient).credits.get()
    services.credit_redeem(credit_id=credit.pk, by=clinic_staff)
    client.force_login(patient)

    html = client.get(URL).content.decode()

    assert "0 of 1 sessions left" in html and "Buy again" in html


def test_a_patient_cannot_open_someone_elses_credit(client, catalogue, patient):
    other = UserFactory()
    theirs = paid_order_create(items=[("TUI-5", 1)], user=other).credits.get()
    mine = paid_order_create(items=[("ACU-5", 1)], user=patient).credits.get()
    client.force_login(patient)

    assert client.get(f"{URL}{mine.code}/").status_code == 200
    assert client.get(f"{URL}{theirs.code}/").status_code == 404
    assert theirs.code not in client.get(URL).content.decode()


def test_anonymous_visitors_are_sent_to_login(client, catalogue):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_thank_you_page_shows_the_credit_code_and_qr(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest("mei@example.com")
    shopper.pay(localstripe.card("4242424242424242"))

    html = shopper.client.get(reverse("checkout:thank-you")).content.decode()

    from shop.packages.models import PackageCredit

    credit = PackageCredit.objects.get()
    assert credit.code in html and "5 of 5 sessions left" in html and "<svg" in html


def test_the_account_order_page_shows_the_orders_credits(client, catalogue, patient):
    order = paid_order_create(items=[("TUI-5", 2)], user=patient)
    client.force_login(patient)

    html = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content
    for credit in order.credits.all():
        assert credit.code in html.decode()


def test_the_confirmation_email_carries_the_code(catalogue):
    from shop.notifications.delivery import confirmation_messages
    from shop.notifications.models import Confirmation
    from shop.notifications.services import communication_types_load

    communication_types_load(refresh=True)
    order = paid_order_create(items=[("TUI-5", 1)])
    credit = order.credits.get()

    confirmation = Confirmation.objects.get(order=order, kind="order_placed")
    messages = confirmation_messages(confirmation=confirmation)

    assert credit.code in messages["body"] and credit.code in messages["html"]
    assert "data:image/png;base64," in messages["html"]


def test_a_guest_who_registers_finds_earlier_credits_after_confirming_the_email(
    client, catalogue, mailoutbox
):
    order = paid_order_create(items=[("TUI-5", 1)], guest_email="Mei@Example.com")
    user = UserFactory(email="mei@example.com")
    client.force_login(user)
    assert "1 earlier treatment package" in client.get(URL).content.decode()
    assert order.credits.get().user is None  # nothing attaches before the address is confirmed

    link = claims.claim_link(user=user)
    claims.claim_email_send(user_id=user.pk)
    assert link in mail.outbox[-1].body and mail.outbox[-1].to == ["mei@example.com"]
    path = re.sub(r"^https?://[^/]+", "", link)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302

    assert order.credits.get().user == user
    assert "5 of 5 sessions left" in client.get(URL).content.decode()


def test_someone_elses_confirmation_link_attaches_nothing(client, catalogue):
    order = paid_order_create(items=[("TUI-5", 1)], guest_email="mei@example.com")
    owner = UserFactory(email="mei@example.com")
    intruder = UserFactory(email="intruder@example.com")
    path = re.sub(r"^https?://[^/]+", "", claims.claim_link(user=owner))
    client.force_login(intruder)

    response = client.post(path)

    assert response.status_code == 400
    assert "another account" in response.content.decode()
    assert order.credits.get().user is None


def test_a_tampered_link_is_refused(client, catalogue, patient):
    client.force_login(patient)
    response = client.post(f"{URL}claim/not-a-valid-token/")
    assert response.status_code == 400
