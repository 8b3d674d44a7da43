"""A database outage during `pay`, for the checkout's tests of interrupted payments.

A real outage cannot be scripted inside a test's transaction, so the database error is
raised where the PaymentIntent would be recorded (and, for a lasting outage, where the
session would be saved); `make drill` restarts a real PostgreSQL under load.
"""

from contextlib import ExitStack
from unittest import mock

from django.contrib.sessions.backends.base import UpdateError
from django.db import OperationalError
from django.urls import reverse

VISA = "4242424242424242"


def outage(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def _session_lost(*args, **kwargs):
    raise UpdateError


def pay_during_an_outage(shopper, localstripe, lasting: bool = False):
    """Post `pay` as the payment page does while PostgreSQL goes away after the freeze.

    `lasting`: the session cannot be saved either, so only the 503's payment cookie
    names the frozen basket.
    """
    data = {"payment_method": localstripe.card(VISA)}
    if (shown := shopper.shown_total()) is not None:
        data["amount"] = shown
    with ExitStack() as outages:
        outages.enter_context(mock.patch("shop.payments.intents.payment_intent_prepare", outage))
        if lasting:
            outages.enter_context(
                mock.patch("django.contrib.sessions.backends.db.SessionStore.save", _session_lost)
            )
        return shopper.client.post(reverse("checkout:pay"), data)
