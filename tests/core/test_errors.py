"""A database outage anywhere in a request is a 503 "try again", never a 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

# The session is read by a middleware, before any view. A real outage cannot be scripted
# inside a test's transaction, so the database error is raised where the session is loaded;
# `make drill` restarts a real PostgreSQL under load (it once saw this very 500).
SESSION_LOAD = "django.contrib.sessions.backends.db.SessionStore.load"


def _shutting_down(*args, **kwargs):
    raise OperationalError("FATAL:  the database system is shutting down")


def _bug(*args, **kwargs):
    raise RuntimeError("a bug")


def _get_with_a_session(failure):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32
    with mock.patch(SESSION_LOAD, failure):
        return client.get("/accounts/profile/")


def test_a_database_outage_in_a_middleware_is_a_503_with_retry_after():
    response = _get_with_a_session(_shutting_down)

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Please try again in a moment" in response.content.decode()
    assert "Nothing you paid for is lost" in response.content.decode()


def test_any_other_error_is_still_the_500_page():
    response = _get_with_a_session(_bug)

    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()
