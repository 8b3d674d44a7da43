"""The drill's processes: its own services on 127.0.0.1, started and stopped by name.

Every process runs in its own session (process group), logs to the drill's
folder and is stopped with its children; PostgreSQL runs as the postgres user
when the drill runs as root.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PY = sys.executable
PORTS = {
    name: int(os.environ.get(f"DRILL_{name.upper()}_PORT", default))
    for name, default in [("pg", 55433), ("redis", 6390), ("stripe", 8491), ("smtp", 2590)]
    + [("web", 8790)]
}
PATIENTS = int(os.environ.get("DRILL_PATIENTS", 50))
HARD_LIMIT = 570  # seconds: the drill always ends within 10 minutes, cleanup included
STARTED = time.monotonic()
WORK = Path(tempfile.mkdtemp(prefix="shop-drill-"))
LOGS = WORK / "logs"
PROCESSES: dict[str, subprocess.Popen] = {}
AS_ROOT = os.geteuid() == 0


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def env() -> dict:
    """Return the shop's production-like environment on the drill's own services."""
    web = f"http://127.0.0.1:{PORTS['web']}"
    return dict(
        os.environ,
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="shop.settings",
        SECRET_KEY="drill-only-secret-key-not-for-production",  # noqa: S106
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=web,
        SHOP_VAR_DIR=str(WORK / "var"),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PORTS['pg']}/shop_drill",
        REDIS_URL=f"redis://127.0.0.1:{PORTS['redis']}/0",
        CELERY_QUEUE="shop-drill",
        EMAIL_URL=f"smtp://127.0.0.1:{PORTS['smtp']}",
        EMAIL_TIMEOUT="10",
        STRIPE_API_BASE=f"http://127.0.0.1:{PORTS['stripe']}",
        STRIPE_SECRET_KEY="sk_test_drill",  # noqa: S106
        STRIPE_PUBLISHABLE_KEY="pk_test_drill",
        STRIPE_WEBHOOK_SECRET="whsec_drill",  # noqa: S106
        # The drill's clock runs fast: the sweep takes what is unsent after one minute (five
        # in production) and a dead worker's task comes back after 60 s (600).
        CONFIRMATION_SWEEP_AFTER_MINUTES="1",
        PAYMENT_RESERVATION_MINUTES="2",
        CELERY_VISIBILITY_TIMEOUT="60",
        LOG_LEVEL="INFO",
    )


# --- Processes ------------------------------------------------------------------


def start(name: str, args: list, **kwargs) -> subprocess.Popen:
    log = (LOGS / f"{name}.log").open("a")
    process = subprocess.Popen(  # noqa: S603  (the drill's own commands)
        args,
        cwd=ROOT,
        env=env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **kwargs,
    )
    PROCESSES[name] = process
    return process


def stop(name: str, sig=signal.SIGTERM, wait: float = 15) -> None:
    process = PROCESSES.pop(name, None)
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def run(args: list, *, timeout: float, **kwargs) -> str:
    done = subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=timeout, **kwargs
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args[:4]))} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def wait_for(what: str, check, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s (logs: {LOGS})")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- PostgreSQL, as the postgres user when run as root ----------------------------


def pg(command: str, *, timeout: float = 60) -> str:
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    command = f"{bindir[-1]}/{command}"
    if AS_ROOT:
        return run(["su", "postgres", "-s", "/bin/sh", "-c", command], timeout=timeout)
    return run(["sh", "-c", command], timeout=timeout)


def pg_ctl(action: str) -> None:
    data, sock = WORK / "pg", WORK / "pgsock"
    options = f"-h 127.0.0.1 -p {PORTS['pg']} -k {sock} -c fsync=off"
    pg(f"pg_ctl -D {data} -l {LOGS / 'postgres.log'} -w -m fast -o '{options}' {action}")
