"""A purchase through the real checkout, confirmed by the real worker.

The checkout pays at localstripe, the order commits, and a Celery worker
process on Redis mails an SMTP server: the whole path a patient depends on.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.notifications import services
from shop.notifications.models import Confirmation
from tests.fixtures.notifications import celery_broker, confirmations_settled

Order = get_model("order", "Order")

VISA = "4242424242424242"


def _pay(shopper, localstripe) -> Order:
    response = shopper.pay(localstripe.card(VISA))
    assert response.status_code == 200, response.content
    page = shopper.client.get(reverse("checkout:thank-you"))
    assert page.status_code == 200
    order = page.context["order"]
    assert order.number in page.content.decode()
    return order


def test_a_paid_checkout_sends_one_patient_and_one_clinic_email(
    shopper, localstripe, celery_worker_process, smtp_server, settings
):
    shopper.add("TUI-5")
    shopper.as_guest("mei@example.com")

    order = _pay(shopper, localstripe)

    patient = smtp_server.wait_for_to("mei@example.com", timeout=60)
    clinic = smtp_server.wait_for_to(settings.CLINIC_ORDERS_EMAIL, timeout=60)
    text = patient.get_body(("plain",)).get_content()
    valid_until = timezone.localtime(order.date_placed).date() + datetime.timedelta(
        days=order.lines.get().product.attr.validity_days
    )
    assert order.number in text
    assert order.number in clinic.get_body(("plain",)).get_content()
    assert "5 sessions" in text
    assert f"{valid_until:%-d %B %Y}" in text
    confirmations_settled(order)
    assert len(smtp_server.to("mei@example.com")) == 1
    assert len(smtp_server.to(settings.CLINIC_ORDERS_EMAIL)) == 1


def test_redis_down_at_checkout_still_thanks_the_patient_and_the_sweep_sends_later(
    shopper, localstripe, throwaway_redis, start_worker, smtp_server
):
    shopper.add("ACU-10")
    shopper.as_guest("wei@example.com")

    with celery_broker(throwaway_redis.url):
        throwaway_redis.stop()
        order = _pay(shopper, localstripe)  # the thank-you page, with the broker down

        assert Order.objects.filter(number=order.number).count() == 1
        assert set(Confirmation.objects.filter(order=order).values_list("status", flat=True)) == {
            "pending"
        }

        throwaway_redis.start()
        start_worker(REDIS_URL=throwaway_redis.url)
        ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
        Confirmation.objects.filter(order=order).update(
            created_at=ten_minutes_ago, updated_at=ten_minutes_ago
        )
        assert services.confirmations_sweep() == 2
        confirmations_settled(order)

    assert len(smtp_server.to("wei@example.com")) == 1
