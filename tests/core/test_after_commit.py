"""A callback after commit that fails is logged; the request that committed still answers."""

import logging

import pytest
from django.db import transaction

from shop.core.queue import after_commit

pytestmark = pytest.mark.django_db(transaction=True)


def _publish(*, confirmation_id: int) -> None:
    raise ConnectionError(f"broker gone while publishing {confirmation_id}")


def test_a_failing_callback_is_logged_by_name_and_not_raised(caplog):
    called = []
    with caplog.at_level(logging.ERROR, logger="django.db.backends.base"), transaction.atomic():
        after_commit(_publish, confirmation_id=7)
        after_commit(lambda: called.append("next"))

    assert called == ["next"]  # the callbacks after the failed one still ran
    assert "Error calling _publish in on_commit()" in caplog.text
