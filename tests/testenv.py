"""Environment of the test run, set before Django reads its settings.

Loaded as a pytest plugin (`-p tests.testenv` in pyproject.toml) so that a bare
`pytest` works as well as `make test`. Values already set win.
"""

import os
import uuid
from pathlib import Path

TEST_ENV = {
    "SECRET_KEY": "test-only-secret-key",
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_MANIFEST": "false",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/clinic_shop",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    # A queue of this run alone: nothing left over from an earlier run reaches its worker.
    "CELERY_QUEUE": f"shop-test-{uuid.uuid4().hex[:12]}",
}

for name, value in TEST_ENV.items():
    os.environ.setdefault(name, value)

# The search index and uploaded images of the tests live beside the test database
# (kept between runs, as the database is with --reuse-db), apart from a local run's.
_VAR = Path(__file__).resolve().parent.parent / "var" / "test"
os.environ.setdefault("WHOOSH_PATH", str(_VAR / "whoosh"))
os.environ.setdefault("MEDIA_ROOT", str(_VAR / "media"))
os.environ.setdefault("PRIVATE_ROOT", str(_VAR / "private"))
