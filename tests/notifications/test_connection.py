"""The worker's SMTP connection: one for many emails, checked again after a pause."""

import time
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller

from shop.notifications import connection, delivery
from shop.notifications.models import Confirmation
from tests.fixtures.services import SMTPServer, free_port


@dataclass
class CountingSMTPServer(SMTPServer):
    """The tests' SMTP server, counting the sessions (EHLO) the shop opens."""

    sessions: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        session.host_name = hostname
        self.sessions += 1
        return responses


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on a free port that the test can restart; this process mails it."""
    server = CountingSMTPServer(host="127.0.0.1", port=free_port())
    controllers = []

    def start():
        controllers.append(Controller(server, hostname=server.host, port=server.port))
        controllers[-1].start()

    def stop():
        controllers[-1].stop()

    server.start, server.stop = start, stop
    settings.SHOP_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = False
    start()
    try:
        yield server
    finally:
        connection.connection_close()
        stop()


def _confirmations(place_paid_order, count: int) -> list[int]:
    ids = []
    for n in range(count):
        order = place_paid_order(skus={"TUI-1": 1}, guest_email=f"patient{n}@example.com")
        ids += list(Confirmation.objects.filter(order=order).values_list("pk", flat=True))
    return ids


@pytest.mark.django_db
def test_a_run_of_confirmations_goes_out_over_one_smtp_session(place_paid_order, mail_server):
    ids = _confirmations(place_paid_order, 3)

    for pk in ids:
        assert delivery.confirmation_send(confirmation_id=pk) is True

    assert len(mail_server.messages) == 6
    assert mail_server.sessions == 1


@pytest.mark.django_db
def test_after_the_mail_server_restarts_the_next_email_still_goes_out(
    place_paid_order, mail_server
):
    first, second = _confirmations(place_paid_order, 1)
    assert delivery.confirmation_send(confirmation_id=first) is True

    mail_server.stop()
    mail_server.start()
    time.sleep(connection.CHECK_AFTER_SECONDS + 0.2)  # the shop asks (NOOP) after a pause

    assert delivery.confirmation_send(confirmation_id=second) is True
    assert Confirmation.objects.get(pk=second).attempts == 1
    assert mail_server.sessions == 2


@pytest.mark.django_db
def test_a_refused_email_closes_the_session_and_the_retry_opens_another(
    place_paid_order, mail_server
):
    (pk, _) = _confirmations(place_paid_order, 1)
    mail_server.refuse_next = 1

    with pytest.raises(Exception, match="Try again later"):
        delivery.confirmation_send(confirmation_id=pk)
    assert delivery.confirmation_send(confirmation_id=pk) is True

    assert [str(m["To"]) for m in mail_server.messages] == ["patient0@example.com"]
    assert mail_server.sessions == 2


@pytest.mark.django_db
def test_sending_a_confirmation_reads_the_database_a_bounded_number_of_times(
    place_paid_order, mail_server, django_assert_max_num_queries
):
    for pk in _confirmations(place_paid_order, 1):  # templates and fonts loaded once
        delivery.confirmation_send(confirmation_id=pk)
    patient, clinic = _confirmations(place_paid_order, 1)

    # The patient's confirmation renders its invoice's PDF (stored once) and attaches it.
    with django_assert_max_num_queries(26):
        delivery.confirmation_send(confirmation_id=patient)
    with django_assert_max_num_queries(15):
        delivery.confirmation_send(confirmation_id=clinic)
