"""The local stack's SQLite file takes writes from the web server, worker and beat at once."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each process reads, then writes, in many short transactions: what a checkout and the
# worker's confirmation do. SQLite's default (deferred) transactions fail at once with
# "database is locked" when two such writers meet.
WRITER = """
import time
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS visits (n INTEGER)")
start = time.monotonic()
while time.monotonic() - start < 3:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM visits")
        (n,) = cursor.fetchone()
        cursor.execute("INSERT INTO visits VALUES (%s)", [n])
print("done")
"""


def test_concurrent_writers_wait_for_each_other_instead_of_failing(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SHOP_VAR_DIR": str(tmp_path),
    }
    command = [sys.executable, "manage.py", "shell", "-v0", "-c", WRITER]
    writers = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = [writer.communicate(timeout=120) for writer in writers]

    for (out, err), writer in zip(results, writers, strict=True):
        assert writer.returncode == 0, err.decode()[-2000:]
        assert out.decode().strip() == "done"
