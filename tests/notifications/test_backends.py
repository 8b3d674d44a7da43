"""Every email of the shop goes through the outbox: Oscar's own emails with SMTP down.

Oscar sends its registration and password-reset emails inside the request. With the
outbox backend the page only records them; a real worker sends them, retrying until
the (real, aiosmtpd) SMTP server answers again.
"""

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.urls import reverse

from shop.notifications.models import OutboxEmail
from tests.fixtures.services import SMTPServer, WorkerProcess, free_port, wait_until, worker_env

OUTBOX_BACKEND = "shop.notifications.backends.OutboxEmailBackend"
NEW = "new.patient@example.com"


@pytest.fixture
def smtp_down_then_up(transactional_db, tmp_path):
    """A worker whose SMTP server is down; call `.start()` to bring the server up."""
    server = SMTPServer(host="127.0.0.1", port=free_port())
    worker = WorkerProcess(worker_env(email_url=server.url), tmp_path / "worker.log")
    worker.start()
    controller = Controller(server, hostname=server.host, port=server.port)
    server.start = controller.start
    try:
        yield server
    finally:
        worker.stop()
        if getattr(controller, "_thread", None) is not None:
            controller.stop()


def test_registration_and_password_reset_with_smtp_down_answer_and_send_later(
    smtp_down_then_up, settings, client, patient
):
    settings.EMAIL_BACKEND = OUTBOX_BACKEND  # pytest-django put its in-memory backend here

    registered = client.post(
        reverse("customer:register"),
        {
            "email": "new.patient@example.com",
            "password1": "Xq7!ginseng",
            "password2": "Xq7!ginseng",
        },
    )
    client.logout()
    reset = client.post(reverse("password-reset"), {"email": patient.email})

    assert registered.status_code == 302
    assert get_user_model().objects.filter(email=NEW).exists()
    assert reset.status_code == 302
    assert sorted(r for e in OutboxEmail.objects.all() for r in e.recipients) == [
        NEW,
        patient.email,
    ]
    # The worker tries, SMTP refuses the connection: still owed, attempts counted.
    wait_until(
        lambda: OutboxEmail.objects.filter(attempts__gte=1, status="pending").count() == 2,
        what="the worker's first attempts",
    )
    assert "ConnectionRefusedError" in OutboxEmail.objects.first().last_error

    smtp_down_then_up.start()

    messages = smtp_down_then_up.wait_for(2, timeout=60)
    wait_until(
        lambda: set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"},
        what="both emails marked sent",
    )
    to = {str(message["To"]): message for message in messages}
    assert set(to) == {NEW, patient.email}
    reset_email = to[patient.email]
    assert "/password-reset/confirm/" in reset_email.get_body(("plain",)).get_content()
    assert len(messages) == 2
