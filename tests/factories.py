"""Factories of the test suite, building on Oscar's own."""

import factory
from oscar.test.factories import UserFactory as OscarUserFactory


class UserFactory(OscarUserFactory):
    """A user with a known password ("secret-pass-123") and a unique email."""

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")
