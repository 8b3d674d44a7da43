"""Booking in Chromium: a guest buys five sessions, books the first, staff see it, it is cancelled.

A real worker sends the emails to a real SMTP server; the guest books from the
thank-you page's "Book your first session" without an account.
"""

import re

import pytest
from django.urls import reverse

from tests.e2e.test_checkout import _add_five_sessions_and_check_out_as_guest, _enter_card
from tests.e2e.test_packages import _staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "wei.ling@example.com"
BOOKED = re.compile(r"Your session is booked for \w+ (\d+ \w+ \d{4}) at (\d\d:\d\d)\.")


@pytest.fixture
def shop(live_server, catalogue, localstripe, celery_worker_process):
    localstripe.register_webhook(live_server.url + reverse("payments:stripe-webhook"))
    return live_server


def test_a_guest_books_the_first_session_staff_see_it_and_an_early_cancel_gives_it_back(
    shop, page, chromium, smtp_server
):
    _add_five_sessions_and_check_out_as_guest(page, EMAIL)
    _enter_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay S$398.00").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/$"))

    page.get_by_role("link", name="Book your first session").click()
    assert page.get_by_text("Cancelling or moving up to 24 hours before").is_visible()
    page.get_by_role("link", name="Later times").click()  # two weeks on: well before the cut-off
    page.locator("button.slot").first.click()
    message = page.get_by_text(BOOKED).inner_text()
    day, time = BOOKED.search(message).groups()
    assert page.get_by_text("5 of 5 sessions left").is_visible()
    assert page.get_by_text("(1 booked)").is_visible()
    booking_page = page.url

    confirmation = smtp_server.wait_for_to(EMAIL, timeout=60)
    assert confirmation is not None

    staff = _staff_member()
    desk = chromium.new_context(base_url=shop.url).new_page()
    desk.goto(reverse("customer:login"))
    desk.locator("#id_login-username").fill(staff.email)
    desk.locator("#id_login-password").fill("secret-pass-123")
    desk.locator("button[name=login_submit]").click()
    from datetime import datetime

    iso = datetime.strptime(day, "%d %B %Y").strftime("%Y-%m-%d")
    desk.goto(f"{reverse('bookings-dashboard:bookings-day')}?date={iso}")
    booking = desk.locator(".booking").filter(has_text=EMAIL)
    assert booking.is_visible()
    assert booking.get_by_text("Tuina Acupressure").is_visible()
    assert booking.get_by_text(time).is_visible()
    desk.context.close()

    page.goto(booking_page)
    page.get_by_role("button", name="Cancel").click()
    assert page.get_by_text("Your booking is cancelled; the session is back.").is_visible()
    assert page.get_by_text("5 of 5 sessions left").is_visible()
    assert page.get_by_text("(1 booked)").count() == 0
