"""Fixtures shared by the whole suite.

The catalogue is loaded once into the test database; tests run inside a
transaction that is rolled back. Transactional tests flush the database (the
quicker flush of tests/fixtures/flush.py, with Django's outcome): what
the data migrations made (the roles, Singapore as the shipping country) is made
again after every flush, and at the start of a run on a reused database (the
last run may have ended with a flush); the catalogue comes back through the
`catalogue` fixture (see tests/fixtures/catalogue.py).
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_migrate
from django.test import override_settings
from oscar.core.loading import get_model

from shop.core.roles import ACCOUNTANTS, CLINIC_STAFF, roles_ensure
from shop.shipping.services import shipping_country_ensure
from tests.factories import UserFactory
from tests.fixtures.catalogue import catalogue_load, catalogue_restore
from tests.fixtures.flush import fast_flush_install

Product = get_model("catalogue", "Product")

pytest_plugins = [
    "tests.fixtures.services",
    "tests.fixtures.content",
    "tests.fixtures.stripe",
    "tests.fixtures.browser",
    "tests.fixtures.notifications",
]


def migration_data_restore(*, permissions_made: bool = False) -> None:
    """Make again what the data migrations made (idempotent): the staff roles, Singapore."""
    roles_ensure(apps=apps, permissions_made=permissions_made)
    shipping_country_ensure(apps=apps)


def _after_flush(sender, **kwargs) -> None:
    # A flush (the end of a transactional test) sends post_migrate once per app with models:
    # restore after the last one, when every app's content types and permissions exist again.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        migration_data_restore(permissions_made=True)


post_migrate.connect(_after_flush, dispatch_uid="tests.migration_data_restore")
fast_flush_install()


def pytest_sessionstart(session) -> None:
    # Whitenoise serves STATIC_ROOT too: in tests nothing is collected there, so make it exist.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Users are made in most tests: hash their passwords cheaply (see tests/hashers.py).
    override_settings(PASSWORD_HASHERS=["tests.hashers.FastPBKDF2PasswordHasher"]).enable()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Restore the migrations' data and load the clinic's catalogue once, committed."""
    with django_db_blocker.unblock():
        migration_data_restore()
        catalogue_load()


@pytest.fixture
def catalogue(db):
    """Make sure the clinic's catalogue is loaded (after a flush it is put back)."""
    if not Product.objects.exists():
        catalogue_restore()


def _user_in(group_name: str | None, **kwargs):
    user = UserFactory(**kwargs)
    if group_name:
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
        # SCAN walks the whole database (page cache, thumbnails...: thousands of keys);
        # at Redis's default of 10 keys a step that was ~0.5 s of round trips a test.
        for key in redis.scan_iter(match="*:rl:*", count=5000):
            redis.delete(key)
    else:
        cache.clear()  # the local in-memory cache holds nothing else worth keeping
    yield


# --- Page cache: every test starts with no cached page (a rolled-back test's rows are gone).
@pytest.fixture(autouse=True)
def _pagecache_fresh():
    from shop.core.pagecache import pagecache_bump

    pagecache_bump()
