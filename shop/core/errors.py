"""The shop's answer to an uncaught exception (Django's `handler500`).

A database outage (PostgreSQL restarting, a connection lost) raised anywhere, a
middleware included (the session, the basket), is not the shop's bug and passes: the
patient gets a 503 with `Retry-After`, "try again in a moment", which a proxy or a
browser's retry understands, instead of a 500. Anything else is Django's 500 page.
Neither page reads the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

OUTAGE_TEMPLATE = "503.html"
RETRY_AFTER_SECONDS = 10


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Answer a database outage with a 503 page; anything else with Django's 500 page."""
    error = sys.exc_info()[1]  # called by Django inside its handling of the exception
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template(OUTAGE_TEMPLATE).render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request, template_name)
