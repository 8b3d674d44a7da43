"""A package's life in Chromium: bought as a guest, redeemed at the desk, seen in the account.

A real worker sends the emails to a real SMTP server; the patient reads the
code from the confirmation email and the confirmation link from the second one.
"""

import re

import pytest
from django.urls import reverse

from shop.core.roles import CLINIC_STAFF
from tests.e2e.test_checkout import _add_five_sessions_and_check_out_as_guest, _enter_card
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "mei.ling@example.com"
PASSWORD = "a-long-patient-pass-42"


@pytest.fixture
def shop(live_server, catalogue, localstripe, celery_worker_process, settings):
    localstripe.register_webhook(live_server.url + reverse("payments:stripe-webhook"))
    # pytest-django keeps emails in memory: the shop's pages send through the outbox, as in
    # production, so that the worker delivers them to the SMTP server.
    settings.EMAIL_BACKEND = "shop.notifications.backends.OutboxEmailBackend"
    return live_server


def _staff_member():
    from django.apps import apps
    from django.contrib.auth.models import Group

    from shop.core.roles import roles_ensure

    roles_ensure(apps=apps)  # the transactional test flushed the roles away
    staff = UserFactory(email="front.desk@example.com", is_staff=True)
    staff.groups.add(Group.objects.get(name=CLINIC_STAFF))
    return staff


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_guest_buys_five_sessions_the_desk_redeems_one_and_the_account_shows_four(
    shop, page, chromium, smtp_server
):
    _add_five_sessions_and_check_out_as_guest(page, EMAIL)
    _enter_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay S$398.00").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/$"))
    assert page.get_by_text("5 of 5 sessions left").is_visible()

    confirmation = smtp_server.wait_for_to(EMAIL, timeout=60)
    code = re.search(r"code ([2-9A-Z]{8})", _text(confirmation)).group(1)

    # The front desk finds the credit by the code the patient reads out, and redeems one.
    _staff_member()
    desk = chromium.new_context(base_url=shop.url).new_page()
    desk.goto(reverse("customer:login"))
    desk.locator("#id_login-username").fill("front.desk@example.com")
    desk.locator("#id_login-password").fill("secret-pass-123")
    desk.locator("button[name=login_submit]").click()
    desk.goto(reverse("packages-dashboard:packages-credit-list"))
    desk.get_by_label("Code, scanned QR code, phone, email, name or order number").fill(code)
    desk.get_by_role("button", name="Find").click()
    desk.get_by_role("button", name="Redeem one session").click()
    assert desk.get_by_text("4 of 5 sessions left").is_visible()
    desk.context.close()

    # The guest registers with the same email and confirms it from the link sent there.
    page.goto(reverse("customer:register"))
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("button[name=registration_submit]").click()
    page.goto(reverse("packages:treatment-list"))
    assert page.get_by_text("4 of 5 sessions left").count() == 0
    page.get_by_role("button", name="Send me the confirmation link").click()
    smtp_server.wait_for(2, timeout=60)
    claim = next(m for m in smtp_server.to(EMAIL) if "confirm your email" in m["Subject"])
    link = re.search(r"https?://\S+/accounts/treatments/claim/\S+/", _text(claim)).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Confirm and add my treatments").click()

    page.wait_for_url(re.compile(r"/accounts/treatments/$"))
    assert page.get_by_text("4 of 5 sessions left").is_visible()
    assert page.get_by_text(code).first.is_visible()
