import pytest
from django.apps import apps

from shop.accounting.roles import accounting_permissions_ensure


@pytest.fixture
def accountant(accountant):
    """An accountant whose group holds the export permission (restored after a flush)."""
    accounting_permissions_ensure(apps=apps)
    return accountant


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Render pages without a collectstatic manifest (the suite does not run collectstatic)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
