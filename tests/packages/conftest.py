"""Paid orders of treatment packages, placed through the shop's real payment paths."""

import pytest
from django.contrib.auth.models import AnonymousUser  # noqa: F401

from tests.checkout.conftest import shopper, singapore  # noqa: F401  (fixtures)
from tests.payments.conftest import paid_order, prepared  # noqa: F401  (fixtures)


@pytest.fixture
def redeemed_by(clinic_staff):
    return clinic_staff
