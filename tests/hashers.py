"""The password hasher of the test run.

Django's PBKDF2 with its 1,000,000 rounds takes about a second a password on a busy
2-core machine, and nearly every test signs up a user (tests.factories.UserFactory).
The tests check who may sign in, not how hard a stolen hash is to crack: they hash with
the same algorithm (the stored hashes still read "pbkdf2_sha256$...") and fewer rounds.
Production keeps Django's default hashers (shop/settings.py sets none).
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's default hasher with few rounds (a hash is checked with the rounds it names)."""

    iterations = 1_000
