import pytest
from django.apps import apps

from shop.accounting.roles import accounting_permissions_ensure


@pytest.fixture
def accountant(accountant):
    """An accountant whose group holds the export permission (restored after a flush)."""
    accounting_permissions_ensure(apps=apps)
    return accountant
