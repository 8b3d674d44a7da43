"""Stored emails and staff-written email templates cannot attack whoever reads them.

Staff edit the email templates: they are rendered against plain values (no model
instance, so no password hash), and a stored or previewed email's HTML renders only
in a sandboxed frame, where its scripts never run.
"""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.notifications import delivery, services
from shop.notifications.models import Confirmation

CommunicationEventType = get_model("communication", "CommunicationEventType")
Email = get_model("communication", "Email")

PRYING = "[{{ order.user.password }}|{{ order.user }}|{{ user.password }}]"
SCRIPT = "<script>window.top.document.title = 'pwned';</script>"
ATTACK_HTML = (
    f"<p>Hello from the clinic</p>{SCRIPT}"
    '<img src="x" onerror="window.top.document.title = \'pwned-img\'">'
)


def _event_type_edit(code: str, *, html: str, subject: str | None = None):
    event_type = CommunicationEventType.objects.get(code=code)
    event_type.email_body_html_template = html
    event_type.email_body_template = PRYING
    if subject is not None:
        event_type.email_subject_template = subject
    event_type.save()
    return event_type


def _preview(client, event_type, order_number: str):
    return client.post(
        reverse("dashboard:comms-update", kwargs={"slug": event_type.code}),
        {
            "name": event_type.name,
            "email_subject_template": event_type.email_subject_template,
            "email_body_template": event_type.email_body_template,
            "email_body_html_template": event_type.email_body_html_template,
            "preview_order_number": order_number,
            "show_preview": "1",
        },
    )


@pytest.mark.django_db
def test_a_staff_template_reaches_no_password_hash_in_preview_or_email(
    place_paid_order, patient, clinic_staff, client
):
    order = place_paid_order(skus={"TUI-5": 1}, user=patient)
    event_type = _event_type_edit(
        "ORDER_PLACED", html=f"<p>{PRYING}</p>", subject=f"Order {{{{ order.number }}}} {PRYING}"
    )
    client.force_login(clinic_staff)

    page = _preview(client, event_type, order.number).content.decode()
    confirmation = Confirmation.objects.get(order=order, kind="order_placed")
    messages = delivery.confirmation_messages(confirmation=confirmation)

    assert f"Order {order.number} [" in page
    assert f"Order {order.number} [" in messages["subject"]
    for rendered in (page, messages["subject"], messages["body"], messages["html"]):
        assert patient.password not in rendered
        assert "pbkdf2" not in rendered
        assert patient.email not in rendered.split("[", 1)[-1].split("]")[0]
    # The shop's own templates still show the order (plain values carry everything).
    CommunicationEventType.objects.filter(code="ORDER_PLACED").delete()
    services.communication_types_load()
    messages = delivery.confirmation_messages(confirmation=confirmation)
    assert "5 sessions of 45 minutes" in messages["body"]
    assert order.number in messages["subject"]


@pytest.mark.django_db
def test_a_script_in_a_stored_email_is_sandboxed_on_the_patients_page(patient, client):
    email = Email.objects.create(
        user=patient,
        email=patient.email,
        subject="Your order",
        body_text="Hello",
        body_html=ATTACK_HTML,
    )
    client.force_login(patient)

    page = client.get(reverse("customer:email-detail", kwargs={"email_id": email.pk}))

    content = page.content.decode()
    assert page.status_code == 200
    assert 'sandbox=""' in content
    assert "allow-same-origin" not in content
    assert 'srcdoc="&lt;p&gt;Hello from the clinic&lt;/p&gt;&lt;script&gt;' in content
    assert SCRIPT not in content
    assert 'onerror="window.top' not in content
    assert "doc.write" not in content


@pytest.mark.django_db
def test_a_script_in_a_staff_template_is_sandboxed_in_the_preview(
    place_paid_order, clinic_staff, client
):
    order = place_paid_order(skus={"WP-MOXA": 1}, guest_email="guest@example.com")
    event_type = _event_type_edit("ORDER_PLACED", html=ATTACK_HTML)
    client.force_login(clinic_staff)

    content = _preview(client, event_type, order.number).content.decode()

    assert 'sandbox=""' in content
    assert "allow-same-origin" not in content
    assert 'srcdoc="&lt;p&gt;Hello from the clinic&lt;/p&gt;&lt;script&gt;' in content
    assert SCRIPT not in content
    assert "doc.write" not in content


@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_stored_emails_script_does_not_run(page, live_server, patient, client):
    email = Email.objects.create(
        user=patient,
        email=patient.email,
        subject="Your order",
        body_text="Hello",
        body_html=ATTACK_HTML,
    )
    client.force_login(patient)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    blocked = []
    page.on("console", lambda message: blocked.append(message.text))

    page.goto(reverse("customer:email-detail", kwargs={"email_id": email.pk}))

    frame = page.frame_locator("iframe.email-preview")
    assert frame.get_by_text("Hello from the clinic").is_visible()
    title = page.title()
    assert "pwned" not in title
    assert "Your order" in page.locator("table").inner_text()
    assert any("Blocked script execution" in text for text in blocked), blocked
