"""The dashboard's undelivered emails: on the order's page, in their own list, sent again."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.notifications.models import Confirmation, OutboxEmail
from tests.fixtures.notifications import confirmations_settled


def test_permanent_failure_shows_on_the_dashboard_and_staff_send_it_again(
    start_worker, smtp_server, place_paid_order, clinic_staff, patient, client
):
    smtp_server.refuse_next = 1000
    # Two attempts only (instead of eight with backoff up to ten minutes) to keep the test short.
    start_worker(CONFIRMATION_SEND_MAX_RETRIES="1")
    order = place_paid_order(skus={"TUI-5": 1}, guest_email="guest@example.com")
    rows = confirmations_settled(order)
    assert {row.status for row in rows} == {"failed"}
    assert {row.attempts for row in rows} == {2}
    detail_url = reverse("dashboard:order-detail", kwargs={"number": order.number})
    failed = Confirmation.objects.get(order=order, kind="order_placed")
    resend_url = reverse("notifications-dashboard:confirmation-resend", kwargs={"pk": failed.pk})

    client.force_login(clinic_staff)
    page = client.get(detail_url).content.decode()

    assert "Email not delivered: Order confirmation to the patient" in page
    assert "Email not delivered: New order notice to the clinic" in page
    assert "SMTP 451: Try again later" in page
    assert "guest@example.com" in page
    assert resend_url in page

    # A patient may not resend anything; a GET does nothing.
    client.force_login(patient)
    assert client.post(resend_url).status_code == 403
    client.force_login(clinic_staff)
    assert client.get(resend_url).status_code == 405

    smtp_server.refuse_next = 0
    response = client.post(resend_url)
    assert response.status_code == 302
    assert response["Location"] == detail_url
    failed.refresh_from_db()
    rows = confirmations_settled(order)  # waits for the resent one
    smtp_server.wait_for(1)

    assert [str(m["To"]) for m in smtp_server.messages] == ["guest@example.com"]
    page = client.get(detail_url).content.decode()
    assert "Email not delivered: Order confirmation to the patient" not in page
    assert "Email not delivered: New order notice to the clinic" in page
    assert Confirmation.objects.get(pk=failed.pk).status == "sent"


def test_order_page_lists_the_sent_confirmations(
    celery_worker_process, smtp_server, place_paid_order, clinic_staff, client
):
    order = place_paid_order(skus={"WP-MOXA": 1}, guest_email="guest@example.com")
    confirmations_settled(order)

    client.force_login(clinic_staff)
    page = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Confirmation emails" in content
    assert "Email not delivered" not in content
    assert content.count("to guest@example.com") == 1


@pytest.mark.django_db
def test_staff_preview_the_editable_confirmation_with_a_real_order(
    place_paid_order, clinic_staff, client
):
    order = place_paid_order(skus={"TUI-5": 1}, guest_email="guest@example.com")
    CommunicationEventType = get_model("communication", "CommunicationEventType")
    event_type = CommunicationEventType.objects.get(code="ORDER_PLACED")
    client.force_login(clinic_staff)

    response = client.post(
        reverse("dashboard:comms-update", kwargs={"slug": "ORDER_PLACED"}),
        {
            "name": event_type.name,
            "email_subject_template": event_type.email_subject_template,
            "email_body_template": event_type.email_body_template,
            "email_body_html_template": event_type.email_body_html_template,
            "preview_order_number": order.number,
            "show_preview": "1",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert f"your order {order.number} is confirmed" in content
    assert "5 sessions of 45 minutes" in content


@pytest.mark.django_db
def test_the_undelivered_emails_page_lists_what_failed_for_clinic_staff_only(
    place_paid_order, clinic_staff, accountant, patient, client
):
    order = place_paid_order(skus={"TUI-1": 1}, guest_email="guest@example.com")
    Confirmation.objects.filter(order=order, kind="order_placed").update(
        status="failed", attempts=9, last_error="SMTP 550: mailbox full"
    )
    email = OutboxEmail.objects.create(
        from_email="orders@liangyi-tcm.example",
        recipients=["mei@example.com"],
        subject="Password reset on Liang Yi TCM",
        message=b"Subject: Password reset\n\nSecret link https://shop/reset/abc/",
        status="failed",
        attempts=9,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    url = reverse("notifications-dashboard:notifications-failed")

    client.force_login(clinic_staff)
    page = client.get(url)
    content = page.content.decode()

    assert page.status_code == 200
    assert order.number in content
    assert "SMTP 550: mailbox full" in content
    assert "Password reset on Liang Yi TCM" in content
    assert "mei@example.com" in content
    assert "Secret link" not in content  # an email's body (a reset link) is never shown
    # The menu leads there.
    assert url in client.get(reverse("dashboard:index")).content.decode()

    resend = reverse("notifications-dashboard:email-resend", kwargs={"pk": email.pk})
    assert client.get(resend).status_code == 405
    response = client.post(resend)
    assert response.status_code == 302
    assert response["Location"] == url
    email.refresh_from_db()
    assert email.status == "pending"
    listed = client.get(url).content.decode()
    assert "Every other email was delivered." in listed
    assert "mei@example.com" not in listed

    for other in (accountant, patient):
        client.force_login(other)
        assert client.get(url).status_code == 403
        assert client.post(resend).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the dashboard's login
