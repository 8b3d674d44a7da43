"""The confirmation services: exactly-once sending, broker outages, the sweep, the fixtures."""

import datetime
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model

from shop.notifications import delivery, services
from shop.notifications.models import Confirmation
from tests.fixtures.notifications import celery_broker, confirmations_settled

CommunicationEventType = get_model("communication", "CommunicationEventType")
Order = get_model("order", "Order")


@pytest.mark.django_db
def test_order_records_its_confirmations_once(place_paid_order):
    order = place_paid_order(skus={"TUI-5": 1})
    # A second `order_placed` for the same order (e.g. a retried webhook) records nothing new.
    order_placed.send(sender=None, order=order, user=None)

    kinds = sorted(Confirmation.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == ["clinic_order", "order_placed"]


def test_broker_down_at_checkout_then_the_sweep_sends_once(
    throwaway_redis, start_worker, smtp_server, place_paid_order, caplog
):
    caplog.set_level(logging.WARNING, logger="shop.notifications.services")
    with celery_broker(throwaway_redis.url):
        throwaway_redis.stop()

        # Placing the order (the on-commit publish fails) raises nothing.
        order = place_paid_order(skus={"TUI-5": 1, "WP-HEAT": 1}, guest_email="guest@example.com")

        assert Order.objects.filter(number=order.number).exists()
        rows = list(Confirmation.objects.filter(order=order))
        assert [(row.status, row.enqueued_at) for row in rows] == [("pending", None)] * 2
        assert "the sweep will send it" in caplog.text

        # While the broker is still down the sweep gives up quietly too.
        assert services.confirmations_sweep(older_than=datetime.timedelta(0)) == 0

        throwaway_redis.start()
        start_worker(REDIS_URL=throwaway_redis.url)
        # Not yet due: the sweep waits a few minutes before sending again.
        assert services.confirmations_sweep() == 0
        ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
        Confirmation.objects.filter(order=order).update(
            created_at=ten_minutes_ago, updated_at=ten_minutes_ago
        )
        assert services.confirmations_sweep() == 2

        rows = confirmations_settled(order)
        assert {row.status for row in rows} == {"sent"}
        assert services.confirmations_sweep(older_than=datetime.timedelta(0)) == 0

    assert sorted(str(m["To"]) for m in smtp_server.messages) == sorted(
        ["guest@example.com", "orders@liangyi-tcm.example"]
    )


def test_send_again_with_the_broker_down_answers_and_the_sweep_sends(
    throwaway_redis, start_worker, smtp_server, place_paid_order, clinic_staff, client, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with celery_broker(throwaway_redis.url):
        throwaway_redis.stop()
        order = place_paid_order(skus={"WP-MOXA": 1}, guest_email="guest@example.com")
        row = Confirmation.objects.get(order=order, kind="order_placed")
        delivery.confirmation_fail(confirmation_id=row.pk, error="SMTP 550: mailbox full")
        client.force_login(clinic_staff)

        response = client.post(
            reverse("notifications-dashboard:confirmation-resend", kwargs={"pk": row.pk}),
            follow=True,
        )

        assert response.status_code == 200
        assert "is being sent again" in response.content.decode()
        row.refresh_from_db()
        assert row.status == "pending"

        throwaway_redis.start()
        start_worker(REDIS_URL=throwaway_redis.url)
        assert services.confirmations_sweep(older_than=datetime.timedelta(0)) == 2
        rows = confirmations_settled(order)

    assert {row.status for row in rows} == {"sent"}
    assert sorted(str(m["To"]) for m in smtp_server.messages) == sorted(
        ["guest@example.com", "orders@liangyi-tcm.example"]
    )


@pytest.mark.django_db
def test_load_catalogue_ships_the_email_types_and_keeps_staff_edits():
    call_command("load_catalogue", no_index=True, verbosity=0)
    order_placed_type = CommunicationEventType.objects.get(code="ORDER_PLACED")
    assert "confirmation_details" in order_placed_type.email_body_html_template
    assert set(
        CommunicationEventType.objects.filter(
            code__in=["ORDER_PLACED", "CLINIC_ORDER_PLACED", "ORDER_REFUNDED"]
        ).values_list("code", flat=True)
    ) == {"ORDER_PLACED", "CLINIC_ORDER_PLACED", "ORDER_REFUNDED"}

    order_placed_type.email_subject_template = "Thank you: order {{ order.number }}"
    order_placed_type.save()
    call_command("load_catalogue", no_index=True, verbosity=0)

    order_placed_type.refresh_from_db()
    assert order_placed_type.email_subject_template == "Thank you: order {{ order.number }}"
