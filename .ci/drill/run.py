"""`make drill`: 50 patients check out while the services fail in turn; nothing may be lost.

Starts its own throwaway PostgreSQL, Redis, localstripe, SMTP server,
gunicorn (2 sync workers), Celery worker and beat on 127.0.0.1 (ports below,
DRILL_*_PORT to change), with the shop's production-like settings. While the
patients check out it restarts PostgreSQL, stops Redis for 30 s, kills the
worker with SIGKILL (and starts another), and has the SMTP server refuse for
a minute. Then it waits (bounded) for the outbox to drain and runs the checks
of checks.py. Everything it started is stopped on exit; the whole run stops
by itself within 10 minutes. Logs stay in the printed folder.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from patients import patients_plan, patients_run  # noqa: E402
from stack import (  # noqa: E402
    AS_ROOT,
    HARD_LIMIT,
    HERE,
    LOGS,
    PATIENTS,
    PORTS,
    PROCESSES,
    PY,
    ROOT,
    STARTED,
    WORK,
    env,
    pg,
    pg_ctl,
    port_open,
    run,
    say,
    start,
    stop,
    wait_for,
)


def services_start() -> None:
    for name, port in PORTS.items():
        if port_open(port):
            raise RuntimeError(f"port {port} ({name}) is taken: set DRILL_{name.upper()}_PORT")
    (WORK / "pg").mkdir()
    (WORK / "pgsock").mkdir()
    if AS_ROOT:
        shutil.chown(WORK, "postgres")
        for path in (WORK / "pg", WORK / "pgsock", LOGS):
            shutil.chown(path, "postgres")
    pg(f"initdb -D {WORK / 'pg'} -U postgres --auth=trust -E UTF8 --no-sync", timeout=120)
    pg_ctl("start")
    pg(f"createdb -h 127.0.0.1 -p {PORTS['pg']} -U postgres shop_drill")
    say(f"PostgreSQL on {PORTS['pg']}")
    redis_start()
    start(
        "smtp",
        [PY, HERE / "smtp_sink.py", "--port", str(PORTS["smtp"])]
        + ["--out", LOGS / "mail.jsonl", "--refuse-flag", WORK / "smtp-refuse"],
    )
    webhook = f"http://127.0.0.1:{PORTS['web']}/payments/stripe/webhook/"
    start(
        "localstripe",
        [PY, "-m", "shop.payments.localstripe", "--port", str(PORTS["stripe"])]
        + ["--from-scratch", "--webhook-url", webhook, "--webhook-secret", "whsec_drill"],
    )
    wait_for("the SMTP server", lambda: port_open(PORTS["smtp"]))
    wait_for(
        "localstripe",
        lambda: (
            requests.get(f"http://127.0.0.1:{PORTS['stripe']}/js.stripe.com/v3/", timeout=2).ok
        ),
    )
    say("Redis, SMTP and localstripe up; migrating and loading the catalogue")
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], timeout=300)
    run([PY, "manage.py", "load_catalogue"], timeout=180)
    start(
        "web",
        [PY, "-m", "gunicorn", "shop.wsgi:application", "--workers", "2"]
        + ["--bind", f"127.0.0.1:{PORTS['web']}", "--timeout", "60", "--graceful-timeout", "5"]
        + ["--access-logfile", LOGS / "access.log"],
    )
    worker_start()
    start(
        "beat",
        [PY, "-m", "celery", "-A", "worker", "beat", "--loglevel", "INFO"]
        + ["--schedule", WORK / "beat-schedule"],
    )
    wait_for(
        "gunicorn",
        lambda: requests.get(f"http://127.0.0.1:{PORTS['web']}/", timeout=10).status_code == 200,
        timeout=90,
    )
    say("gunicorn, worker and beat up")


def redis_start() -> None:
    start(
        "redis",
        ["redis-server", "--bind", "127.0.0.1", "--port", str(PORTS["redis"])]
        + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
    )
    wait_for("Redis", lambda: port_open(PORTS["redis"]), timeout=20)


def worker_start(n: int = 1) -> None:
    start(
        "worker",
        [PY, "-m", "celery", "-A", "worker", "worker", "--loglevel", "INFO"]
        + ["--concurrency", "2", "--without-gossip", "--without-mingle"]
        + ["--hostname", f"drill-{n}@%h"],
    )


# --- Faults ---------------------------------------------------------------------------


def faults(done: threading.Event) -> None:
    """Fail the services in turn while the patients check out."""

    def at(second: float) -> bool:
        while time.monotonic() - began < second:
            if done.wait(0.5):
                return False
        return True

    began = time.monotonic()
    try:
        if at(15):
            say("FAULT PostgreSQL restart (pg_ctl restart -m fast)")
            pg_ctl("restart")
            say("  PostgreSQL back")
        if at(30):
            say("FAULT Redis stopped for 30 s")
            stop("redis")
            at(60)
            redis_start()
            say("  Redis back (empty: it keeps nothing on disk)")
        if at(70):
            say("FAULT Celery worker killed with SIGKILL; a new one started")
            stop("worker", signal.SIGKILL)
            worker_start(2)
        if at(80):
            say("FAULT SMTP server refuses (451) for 60 s")
            (WORK / "smtp-refuse").touch()
            at(140)
            (WORK / "smtp-refuse").unlink(missing_ok=True)
            say("  SMTP server takes mail again")
    except Exception as error:  # report and let the checks judge what was lost
        say(f"fault injection failed: {error}")


# --- The drill ----------------------------------------------------------------------


def cleanup() -> None:
    for name in list(PROCESSES)[::-1]:
        stop(name, wait=8)
    if (WORK / "pg" / "postmaster.pid").exists():
        try:
            pg(f"pg_ctl -D {WORK / 'pg'} -m immediate -w stop", timeout=30)
        except Exception as error:
            print(f"could not stop PostgreSQL: {error}", file=sys.stderr)
    shutil.rmtree(WORK / "pg", ignore_errors=True)
    shutil.rmtree(WORK / "var", ignore_errors=True)
    print(f"drill: everything it started is stopped; logs in {LOGS}", flush=True)


def main() -> int:
    LOGS.mkdir()
    services_start()
    catalogue = json.loads(run([PY, HERE / "checks.py", "plan"], timeout=120))
    plan = patients_plan(
        count=PATIENTS,
        packages=catalogue["packages"],
        wellness=catalogue["wellness"],
        scarce=catalogue["scarce"],
    )
    say(
        f"{PATIENTS} patients check out (stock of {catalogue['scarce']}: "
        f"{catalogue['products'][catalogue['scarce']]['stock']})"
    )
    done = threading.Event()
    faults_began = time.monotonic()
    injector = threading.Thread(target=faults, args=(done,), daemon=True)
    injector.start()
    budget = max(60.0, 330 - (time.monotonic() - STARTED))
    patients_run(
        plan=plan,
        products=catalogue["products"],
        base=f"http://127.0.0.1:{PORTS['web']}",
        stripe_base=f"http://127.0.0.1:{PORTS['stripe']}",
        key="pk_test_drill",
        seconds=budget,
    )
    say("patients done; letting the faults finish")
    injector.join(timeout=max(0, 150 - (time.monotonic() - faults_began)))
    done.set()
    (WORK / "smtp-refuse").unlink(missing_ok=True)
    (LOGS / "patients.json").write_text(json.dumps([asdict(p) for p in plan], indent=1))
    for outcome in plan:
        if outcome.result != "ordered" or outcome.errors:
            say(
                f"  patient {outcome.number}: {outcome.result}; {outcome.errors} error(s) "
                f"{outcome.notes[:4]}"
            )
    deadline = time.time() + max(30, HARD_LIMIT - 60 - (time.monotonic() - STARTED))
    say("waiting for the outbox to drain, then checking")
    done_checks = subprocess.run(  # noqa: S603
        [
            PY,
            HERE / "checks.py",
            "settle",
            LOGS / "mail.jsonl",
            LOGS / "patients.json",
            str(deadline),
        ],
        cwd=ROOT,
        env=env(),
        timeout=HARD_LIMIT,
    )
    evidence()
    return done_checks.returncode


def evidence() -> None:
    """Print what the faults did, as the logs tell it."""

    def count(log: str, text: str) -> int:
        path = LOGS / log
        return path.read_text(errors="replace").count(text) if path.exists() else 0

    server_error = '" 500 '
    print(
        f"  faults seen: {count('access.log', server_error)} page(s) answered 500, "
        f"{count('web.log', 'Could not enqueue')} publish(es) failed with Redis down, "
        f"{count('worker.log', 'Sweep enqueued')} sweep(s) re-enqueued unsent emails, "
        f"{count('worker.log', 'Retry in')} SMTP retr(ies) scheduled",
        flush=True,
    )


def on_signal(signum, frame):
    raise SystemExit(f"drill: stopped by signal {signum}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    watchdog = threading.Timer(HARD_LIMIT, lambda: os.kill(os.getpid(), signal.SIGTERM))
    watchdog.daemon = True
    watchdog.start()
    status = 2
    try:
        status = main()
    except SystemExit as stopped:
        print(stopped, file=sys.stderr)
    except Exception as error:
        print(f"drill: {error}", file=sys.stderr)
    finally:
        cleanup()
    sys.exit(status)
