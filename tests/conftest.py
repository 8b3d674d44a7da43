"""Fixtures shared by the whole suite.

The catalogue is loaded once into the test database; tests run inside a
transaction that is rolled back. Transactional tests (which flush the
database) get it back through the `catalogue` fixture.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from oscar.core.loading import get_model

from shop.core.roles import ACCOUNTANTS, CLINIC_STAFF, roles_ensure
from tests.factories import UserFactory

Product = get_model("catalogue", "Product")

pytest_plugins = [
    "tests.fixtures.services",
    "tests.fixtures.content",
    "tests.fixtures.stripe",
    "tests.fixtures.browser",
    "tests.fixtures.notifications",
]


def _load_catalogue() -> None:
    call_command("load_catalogue", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the clinic's catalogue once, committed, into the test database."""
    with django_db_blocker.unblock():
        _load_catalogue()


@pytest.fixture
def catalogue(db):
    """Make sure the clinic's catalogue is loaded (after a flush it is loaded again)."""
    if not Product.objects.exists():
        _load_catalogue()


def _user_in(group_name: str | None, **kwargs):
    user = UserFactory(**kwargs)
    if group_name:
        if not Group.objects.filter(name=group_name).exists():
            roles_ensure(apps=apps)  # a transactional test flushed the roles away
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def patient(db):
    """A signed-up patient: a customer account with no staff rights."""
    return _user_in(None, email="patient@example.com")


@pytest.fixture
def clinic_staff(db):
    """A member of the clinic's staff ("Clinic staff" group, is_staff)."""
    return _user_in(CLINIC_STAFF, email="staff@example.com", is_staff=True)


@pytest.fixture
def accountant(db):
    """An accountant ("Accountants" group, is_staff)."""
    return _user_in(ACCOUNTANTS, email="accountant@example.com", is_staff=True)


# --- Per-IP attempt limits (django-ratelimit counts in Redis, which outlives a test) ---


@pytest.fixture(autouse=True)
def _rate_limit_counters_reset():
    """Start every test with no attempts counted (only the rate limiter's keys are removed)."""
    from django.core.cache import cache

    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is not None:
        redis = client(write=True)
        for key in redis.scan_iter(match="*:rl:*"):
            redis.delete(key)
    else:
        cache.clear()  # the local in-memory cache holds nothing else worth keeping
    yield
