"""The worker's connection to the mail server, kept open from one email to the next.

Opening an SMTP connection costs a TCP (often a TLS) handshake, EHLO and login:
more than sending a small message. Each worker process keeps one connection of
the delivering backend (`SHOP_EMAIL_DELIVERY_BACKEND`) open and reuses it for the
emails it sends; it opens another after an error (the task's retry finds a fresh
one), when the settings changed, after `MAX_MESSAGES` messages, when the server
no longer answers a NOOP after a pause, or after `IDLE_SECONDS` without use
(before a server's own idle timeout). Backends other than SMTP (files in local
runs) get a connection of their own for each email, as before.
"""

import contextlib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils.module_loading import import_string

# Servers close idle connections after a few minutes (RFC 5321 asks for at least 5).
IDLE_SECONDS = 60
# After a pause this long, the server is asked (NOOP) whether the connection still stands.
CHECK_AFTER_SECONDS = 1
# Many servers limit the messages of one connection; stay well below.
MAX_MESSAGES = 100

_local = threading.local()


@dataclass
class _Held:
    key: tuple
    connection: SMTPBackend
    used_at: float
    messages: int = 0


def _settings_key() -> tuple:
    return (
        settings.SHOP_EMAIL_DELIVERY_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
    )


def _still_open(held: _Held, now: float) -> bool:
    if held.key != _settings_key() or held.messages >= MAX_MESSAGES:
        return False
    idle = now - held.used_at
    if idle > IDLE_SECONDS:
        return False
    if idle > CHECK_AFTER_SECONDS:
        try:
            return held.connection.connection.noop()[0] == 250
        except Exception:
            return False
    return True


def connection_close() -> None:
    """Close this process's connection to the mail server, if it holds one."""
    held = getattr(_local, "held", None)
    _local.held = None
    if held is not None:
        held.connection.close()  # quiet: Django's SMTP backend ignores a dead socket here


@contextlib.contextmanager
def delivery_connection():
    """Yield a connection of the backend that really delivers (SMTP, or files locally).

    `EMAIL_BACKEND` is the outbox itself; only the worker's sending goes out. On an
    error inside the block the SMTP connection is closed, so a retry opens another.
    """
    backend = settings.SHOP_EMAIL_DELIVERY_BACKEND
    if not issubclass(import_string(backend), SMTPBackend):
        yield get_connection(backend)
        return
    held = getattr(_local, "held", None)
    if held is not None and not _still_open(held, time.monotonic()):
        connection_close()
        held = None
    if held is None:
        connection = get_connection(backend)
        connection.open()
        held = _local.held = _Held(key=_settings_key(), connection=connection, used_at=0.0)
    try:
        yield held.connection
    except BaseException:
        connection_close()
        raise
    held.messages += 1
    held.used_at = time.monotonic()
