"""Paid orders of treatment packages, placed through the shop's real payment paths."""

from tests.checkout.conftest import shopper, singapore  # noqa: F401  (fixtures)
from tests.payments.conftest import paid_order, prepared  # noqa: F401  (fixtures)
