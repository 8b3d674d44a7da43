"""The shop's Django email backend: every email goes through the worker's outbox.

`EMAIL_BACKEND` points here; the backend that really delivers (SMTP, or files in
local runs) is `SHOP_EMAIL_DELIVERY_BACKEND`, used by the worker only. A page that
sends an email (Oscar's registration or password reset) therefore never talks to
the SMTP server: an SMTP outage delays the email, it never breaks the page.
"""

from django.core.mail.backends.base import BaseEmailBackend

from shop.notifications import services


class OutboxEmailBackend(BaseEmailBackend):
    """Record each message in the outbox; the worker sends it after commit."""

    def send_messages(self, email_messages) -> int:
        recorded = 0
        for message in email_messages:
            if message.recipients():
                services.outbox_email_record(message=message)
                recorded += 1
        return recorded
