"""`make run`'s embedded stack: SQLite, a filesystem broker with a real worker, localstripe."""

import os
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.fixtures.services import free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent

# The test run's own environment points at PostgreSQL and Redis: a local run has none of it.
TEST_ONLY = {
    "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "DEBUG", "WHOOSH_PATH",
    "MEDIA_ROOT", "CELERY_QUEUE", "STATIC_MANIFEST", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
    "STRIPE_API_BASE", "STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET",
}  # fmt: skip


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (local URL)
            return response.status, response.read().decode()
    except OSError:
        return 0, ""


@pytest.fixture
def local_stack(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env["SHOP_VAR_DIR"] = str(tmp_path / "var")
    # localstripe on a port of this test's own, beside any local run on the default one.
    env["STRIPE_API_BASE"] = f"http://127.0.0.1:{free_port()}"
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        ["bash", ".ci/local-run.sh", "127.0.0.1", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", tmp_path / "var", tmp_path / "run.log"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_make_run_serves_the_catalogue_on_sqlite_with_a_worker(local_stack):
    base, var, log = local_stack

    wait_until(lambda: _get(base + "/")[0] == 200, timeout=180, interval=1, what="the local shop")
    status, catalogue = _get(base + "/catalogue/")

    assert status == 200
    assert "Tuina Acupressure" in catalogue
    assert "Mugwort Moxa Sticks" in catalogue
    assert (var / "db.sqlite3").exists()
    wait_until(lambda: "ready." in log.read_text(), timeout=60, what="the Celery worker")
    # The address and logins are printed once the shop answers.
    wait_until(lambda: "Demo logins" in log.read_text(), timeout=60, what="the address")
    output = log.read_text()
    assert "patient@example.com" in output  # the demo logins are printed
    assert "filesystem://" in output  # the worker runs on the embedded broker
    assert "localstripe listening on http://127.0.0.1:" in output  # Stripe, offline
