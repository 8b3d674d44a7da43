"""The checkout's shopper (Django's test client) for the storefront's tests."""

from tests.checkout.conftest import Shopper, shopper, singapore  # noqa: F401
