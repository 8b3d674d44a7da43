"""Throwaway services of the benchmarks: Redis, an SMTP recorder, the shop's Celery worker.

Each one runs as its own process in its own session (process group) on a free port
of 127.0.0.1, logs to a file of the bench's folder and is stopped with its children.

The SMTP recorder is this module run as a script:

    python tests/bench/throwaway.py smtp --port 2525 --out mail.jsonl

It accepts every message and appends one JSON line per message: the envelope's
recipients, the subject and the time (`time.time()`) the message was accepted.
"""

import argparse
import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.05):
    """Poll `predicate` until it returns a true value; raise after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


class Service:
    """A process of the bench, in a session of its own, logging to `log`."""

    def __init__(self, name: str, args: list, *, log: Path, env: dict | None = None):
        self.name = name
        self.log = log
        with log.open("a") as out:
            self.process = subprocess.Popen(  # noqa: S603  (the bench's own commands)
                [str(a) for a in args],
                cwd=ROOT,
                env=env or dict(os.environ),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, *, timeout: float = 20) -> None:
        """Stop the process warmly (SIGTERM to it alone), then its group for good (SIGKILL).

        SIGTERM goes to the main process only: a Celery worker's warm shutdown lets its pool
        processes finish the tasks they run (a SIGTERM to the whole group killed one between
        the SMTP server's accepting an email and its sent-marker's commit, which a test of
        exactly once then reported). What is left of the group afterwards is killed.
        """
        if not self.alive():
            return
        try:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def redis_start(folder: Path) -> tuple[Service, str]:
    """Start a redis-server of the bench alone; return it and its URL."""
    port = free_port()
    service = Service(
        "redis",
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            port,
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        log=folder / "redis.log",
    )
    wait_until(lambda: port_open(port), timeout=20, what="redis-server")
    return service, f"redis://127.0.0.1:{port}/0"


def smtp_start(folder: Path) -> tuple[Service, str, Path]:
    """Start the SMTP recorder; return it, its URL (EMAIL_URL) and the file it writes."""
    port = free_port()
    out = folder / "smtp.jsonl"
    service = Service(
        "smtp",
        [sys.executable, __file__, "smtp", "--port", port, "--out", out],
        log=folder / "smtp.log",
    )
    wait_until(lambda: port_open(port), timeout=20, what="the SMTP recorder")
    return service, f"smtp://127.0.0.1:{port}", out


def smtp_received(out: Path) -> list[dict]:
    """Return the messages the SMTP recorder accepted so far."""
    if not out.exists():
        return []
    lines = out.read_text().splitlines()
    # A line being written is complete only with its newline.
    return [json.loads(line) for line in lines if line.endswith("}")]


def procfile_command(name: str) -> list[str]:
    """Return the Procfile's command of a process type, with this Python's interpreter."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            args = shlex.split(line.split(":", 1)[1])
            if args[0] in ("celery", "python"):
                args = [
                    sys.executable,
                    *(["-m", "celery"] if args[0] == "celery" else []),
                    *args[1:],
                ]
            return args
    raise LookupError(f"no {name} in the Procfile")


def worker_start(folder: Path, env: dict, *, hostname: str) -> Service:
    """Start the Procfile's Celery worker (the shop's worker/celery.py app); wait until ready."""
    log = folder / f"{hostname}.log"
    log.write_text("")
    service = Service(
        "worker", [*procfile_command("worker"), "--hostname", f"{hostname}@%h"], log=log, env=env
    )
    wait_until(
        lambda: "ready." in log.read_text() or not service.alive(),
        timeout=90,
        what="the Celery worker",
        interval=0.02,
    )
    if not service.alive():
        raise RuntimeError(f"the Celery worker exited:\n{log.read_text()[-3000:]}")
    return service


# --- The SMTP recorder, run as a script ---------------------------------------------


class _Recorder:
    def __init__(self, out: Path):
        self.out = out.open("a", buffering=1)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        at = time.time()
        import email
        import email.policy

        headers = email.message_from_bytes(
            envelope.content.split(b"\r\n\r\n", 1)[0], policy=email.policy.default
        )
        record = {"to": list(envelope.rcpt_tos), "subject": str(headers["Subject"]), "at": at}
        self.out.write(json.dumps(record) + "\n")
        return "250 OK"


def _smtp_serve(port: int, out: Path) -> None:
    import asyncio
    import threading

    from aiosmtpd.controller import Controller

    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    controller = Controller(_Recorder(out), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("service", choices=["smtp"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    _smtp_serve(arguments.port, arguments.out)
