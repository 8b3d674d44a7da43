"""Benchmark of the confirmation emails: latency of one order, and a burst of 1,000.

Not a test: `make bench` runs it and it prints its figures. It creates its own
database (`shop_bench_email`) on the PostgreSQL server of DATABASE_URL, starts
its own redis-server, an SMTP recorder (tests/bench/throwaway.py) and one Celery
worker as the Procfile starts it (the shop's worker/celery.py app, production
settings: DEBUG off, the SMTP backend, Redis broker), then:

- latency: places orders one at a time at a steady pace through the checkout's
  placement (`tests.factories.paid_order_create`: Oscar's order creation, the
  outbox rows and their enqueue on commit, the invoice) and measures, for each
  order, the time from its commit to its confirmation email accepted by SMTP;
- burst: with the worker stopped, places 1,000 orders as fast as it can (their
  tasks queued in Redis), starts the worker and measures how long it takes to
  hand every order's emails (the patient's confirmation and the clinic's copy)
  to SMTP, and checks each arrived exactly once. It also reports the worker's CPU time
  (its main process and its pool, start-up included) per order: on a shared machine the
  drain time depends on what else runs, the CPU per order much less.

It stops everything it started, drops its database and deletes its files (the logs
are kept, and named, when it fails).

    python tests/bench/bench_email.py [--latency-orders 100] [--pace 0.6] [--burst 1000]

Aims: confirmation p95 at most 2 s; the burst drained in at most 60 s.
"""

import argparse
import io
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_export import database_recreate, database_urls  # noqa: E402
from tests.bench.throwaway import (  # noqa: E402
    Service,
    redis_start,
    smtp_received,
    smtp_start,
    wait_until,
    worker_start,
)

DATABASE = "shop_bench_email"
LATENCY_AIM, BURST_AIM = 2.0, 60.0
CLINIC = "orders@clinic.bench.example"
NUMBER = re.compile(r"\b([LB]\d{6})\b")
# Baskets of the clinic's catalogue, in turn: a package alone, goods delivered, both.
BASKETS = [
    [("TUI-5", 1)],
    [("WP-MOXA", 2)],
    [("ACU-1", 1), ("WP-HEAT", 1)],
]
DELIVERY = Decimal("6.00")
PLACERS = 2  # processes placing the burst's orders (the machine's cores)


def log(message: str) -> None:
    print(f"[bench_email] {message}", file=sys.stderr, flush=True)


def environment(*, database_url: str, redis_url: str, email_url: str, folder: Path) -> dict:
    """Return the shop's production-like environment on the bench's own services."""
    var = folder / "var"
    return dict(
        os.environ,
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="shop.settings",
        SECRET_KEY="bench-only-secret-key",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_QUEUE="shop-bench-email",
        EMAIL_URL=email_url,
        CLINIC_ORDERS_EMAIL=CLINIC,
        SHOP_VAR_DIR=str(var),
        WHOOSH_PATH=str(var / "whoosh"),
        MEDIA_ROOT=str(var / "media"),
        PRIVATE_ROOT=str(var / "private"),
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def order_place(number: str, index: int) -> float:
    """Place and pay one order as the checkout does; return the time of its commit."""
    from django.db import transaction

    from tests.factories import paid_order_create

    committed = []
    items = BASKETS[index % len(BASKETS)]
    with transaction.atomic():
        # The first callback after COMMIT, before the outbox's enqueueing ones.
        transaction.on_commit(lambda: committed.append(time.time()))
        paid_order_create(
            items=items,
            guest_email=f"patient-{number.lower()}@bench.example",
            shipping_incl=DELIVERY,
            number=number,
        )
    return committed[0]


def arrivals(out: Path) -> dict[str, dict[str, list[float]]]:
    """Return by order number the times its emails arrived: {"patient": [...], "clinic": [...]}."""
    found: dict[str, dict[str, list[float]]] = {}
    for message in smtp_received(out):
        match = NUMBER.search(message["subject"])
        if not match:
            continue
        who = "clinic" if message["to"] == [CLINIC] else "patient"
        found.setdefault(match.group(1), {"patient": [], "clinic": []})[who].append(message["at"])
    return found


def once_check(numbers: list[str], out: Path) -> list[str]:
    """Return what is wrong with the emails of these orders (each exactly once), if anything."""
    from shop.notifications.models import Confirmation

    found = arrivals(out)
    problems = []
    for number in numbers:
        got = found.get(number, {"patient": [], "clinic": []})
        for who in ("patient", "clinic"):
            if len(got[who]) != 1:
                problems.append(f"{number}: {len(got[who])} {who} email(s)")
    unsent = Confirmation.objects.filter(order__number__in=numbers).exclude(
        status=Confirmation.Status.SENT
    )
    problems += [f"{c.order.number}: {c.kind} {c.status}" for c in unsent[:20]]
    return problems


def duplicates(numbers: list[str], out: Path) -> list[str]:
    """Return the orders of which an email arrived more than once."""
    found = arrivals(out)
    return [
        f"{n}: {len(got[who])} {who} emails"
        for n in numbers
        if (got := found.get(n))
        for who in ("patient", "clinic")
        if len(got[who]) > 1
    ]


def latency(count: int, pace: float, out: Path) -> dict:
    """Place `count` orders one every `pace` seconds; return the confirmations' latencies."""
    commits = {}
    began = time.monotonic()
    for index in range(count):
        number = f"L{index + 1:06d}"
        commits[number] = order_place(number, index)
        time.sleep(max(0.0, began + (index + 1) * pace - time.monotonic()))
    wait_until(
        lambda: all(
            (got := arrivals(out).get(n)) and got["patient"] and got["clinic"] for n in commits
        ),
        timeout=120,
        what="the latency orders' emails",
        interval=0.5,
    )
    found = arrivals(out)
    patient = [min(found[n]["patient"]) - t for n, t in commits.items()]
    both = [max(min(found[n]["patient"]), min(found[n]["clinic"])) - t for n, t in commits.items()]
    return {"numbers": list(commits), "patient": patient, "both": both}


def orders_place(prefix: str, start: int, count: int) -> None:
    """Place orders `prefix`+`start`... in this process (a placing process of the burst)."""
    for index in range(start, start + count):
        order_place(f"{prefix}{index + 1:06d}", index)


def burst(count: int, wait: float, out: Path, env: dict, folder: Path) -> dict:
    """Queue `count` orders' emails with no worker, then time one worker draining them."""
    began = time.monotonic()
    share = -(-count // PLACERS)
    placers = [
        subprocess.Popen(  # noqa: S603  (this script, placing its share of the orders)
            [sys.executable, __file__, "--place", "B", str(start), str(min(share, count - start))],
            env=dict(os.environ),
        )
        for start in range(0, count, share)
    ]
    if any(placer.wait() for placer in placers):
        raise RuntimeError("placing the burst's orders failed")
    numbers = [f"B{index + 1:06d}" for index in range(count)]
    placed = time.monotonic() - began
    log(f"burst: {count} orders placed in {placed:.1f} s; starting the worker")
    # The worker's CPU (its main process and its pool, start-up included): what this process's
    # reaped children used once the worker has stopped, less what they had used before.
    cpu_before = _children_cpu()
    worker = worker_start(folder, env, hostname="bench-email-burst")
    ready = time.time()

    def drained() -> bool:
        found = arrivals(out)
        return all((got := found.get(n)) and got["patient"] and got["clinic"] for n in numbers)

    try:
        try:
            wait_until(drained, timeout=wait, what="the burst's emails", interval=0.5)
            complete = True
            time.sleep(2)  # a duplicate sent late would show in the check
        except RuntimeError:
            complete = False
            log(f"burst: not drained after {wait:.0f} s; stopping there")
    finally:
        worker.stop()
    cpu = _children_cpu() - cpu_before
    found = arrivals(out)
    times = sorted(
        t for n in numbers for who in ("patient", "clinic") for t in found.get(n, {}).get(who, [])
    )
    done = [n for n in numbers if (got := found.get(n)) and got["patient"] and got["clinic"]]
    return {
        "numbers": numbers,
        "done": done,
        "complete": complete,
        "placed_s": placed,
        "drained_s": (times[-1] - ready) if complete else wait,
        "first_to_last_s": times[-1] - times[0] if times else 0.0,
        "emails": len(times),
        "cpu_s": cpu,
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pdf_cost(numbers: list[str]) -> dict:
    """Render again the invoices of these orders here: the PDF's share of the worker's work."""
    from shop.invoices.models import Document
    from shop.invoices.pdf import snapshot_pdf

    snapshots = list(
        Document.objects.filter(order__number__in=numbers).values_list("snapshot", flat=True)
    )
    snapshot_pdf(snapshot=snapshots[0])  # WeasyPrint's first run loads the fonts
    began = time.perf_counter()
    sizes = [len(snapshot_pdf(snapshot=snapshot)) for snapshot in snapshots]
    return {"seconds": (time.perf_counter() - began) / len(snapshots), "kb": max(sizes) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-orders", type=int, default=100)
    parser.add_argument("--pace", type=float, default=0.6, help="seconds between orders")
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument(
        "--burst-wait", type=float, default=120.0, help="seconds the burst may take at most"
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep the services' logs")
    parser.add_argument("--place", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.place:  # a placing process of the burst, in the bench's environment
        import django

        django.setup()
        orders_place(args.place[0], int(args.place[1]), int(args.place[2]))
        return

    admin_url, _ = database_urls()
    database_url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{DATABASE}"))
    folder = Path(tempfile.mkdtemp(prefix="shop-bench-email-"))
    services: list[Service] = []
    log(f"database {DATABASE}, Redis, SMTP recorder; logs in {folder}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    database_recreate(admin_url, DATABASE)
    finished = False
    try:
        redis, redis_url = redis_start(folder)
        services.append(redis)
        smtp, email_url, out = smtp_start(folder)
        services.append(smtp)
        env = environment(
            database_url=database_url, redis_url=redis_url, email_url=email_url, folder=folder
        )
        # The worker logs as in production (INFO); this process only what goes wrong.
        os.environ.update(env, LOG_LEVEL="WARNING")
        import django

        django.setup()
        from django.core.management import call_command
        from oscar.core.loading import get_model

        began = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("load_catalogue", no_index=True, verbosity=0, stdout=io.StringIO())
        # Enough stock for every order of the bench.
        get_model("partner", "StockRecord").objects.update(num_in_stock=1_000_000)
        log(f"migrated and loaded the catalogue in {time.monotonic() - began:.1f} s")

        worker = worker_start(folder, env, hostname="bench-email")
        services.append(worker)
        log(f"latency: {args.latency_orders} orders, one every {args.pace} s")
        lat = latency(args.latency_orders, args.pace, out)
        worker.stop()
        lat_problems = once_check(lat["numbers"], out)

        log(f"burst: placing {args.burst} orders with the worker stopped")
        bur = burst(args.burst, args.burst_wait, out, env, folder)
        bur_problems = once_check(bur["done"], out) + duplicates(bur["numbers"], out)
        pdf = pdf_cost(bur["numbers"][:20])
        finished = True
    finally:
        for service in reversed(services):
            service.stop()
        from django.db import connections

        connections.close_all()
        database_recreate(admin_url, DATABASE, drop_only=True)
        # The invoices' PDFs (about 300 MB); the logs too unless something went wrong.
        shutil.rmtree(folder / "var", ignore_errors=True)
        if finished and not args.keep_logs:
            shutil.rmtree(folder, ignore_errors=True)

    p50, p95 = statistics.median(lat["patient"]), percentile(lat["patient"], 0.95)
    verdict = "OK" if p95 <= LATENCY_AIM and not lat_problems else "MISSED"
    print(
        f"bench_email: latency, order committed to confirmation accepted by SMTP, "
        f"{len(lat['patient'])} orders one every {args.pace} s, one worker (Procfile): "
        f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(lat['patient']):.2f} s; "
        f"with the clinic's copy too: p95 {percentile(lat['both'], 0.95):.2f} s "
        f"[{verdict}: aim p95 at most {LATENCY_AIM:.0f} s]",
        flush=True,
    )
    total = len(bur["numbers"])
    rate = bur["emails"] / max(bur["drained_s"], 0.001)
    orders_rate = len(bur["done"]) / max(bur["drained_s"], 0.001)
    if bur["complete"]:
        drained = f"drained by one worker in {bur['drained_s']:.1f} s from its start"
    else:
        drained = (
            f"NOT drained: {len(bur['done'])} orders' emails sent in {bur['drained_s']:.0f} s "
            f"from the worker's start (the bench stops there), at that rate all {total} "
            f"would take {total / max(orders_rate, 0.001):.0f} s"
        )
    ok = bur["complete"] and bur["drained_s"] <= BURST_AIM and not bur_problems
    print(
        f"bench_email: burst, {total} orders queued (placed in {bur['placed_s']:.0f} s by "
        f"{PLACERS} processes, worker stopped), {drained}: {bur['emails']} emails, "
        f"{rate:.1f} emails/s, {orders_rate:.1f} orders/s; the worker's CPU "
        f"{bur['cpu_s']:.0f} s, {bur['cpu_s'] / max(len(bur['done']), 1) * 1000:.0f} ms "
        f"an order; each order's confirmation and "
        f"clinic copy exactly once: {'yes' if not bur_problems and not lat_problems else 'NO'} "
        f"[{'OK' if ok else 'MISSED'}: aim at most {BURST_AIM:.0f} s]",
        flush=True,
    )
    print(
        f"bench_email: the invoice PDF a patient's confirmation attaches (rendered once per "
        f"order, by the worker): {pdf['seconds'] * 1000:.0f} ms to render here (WeasyPrint), "
        f"{pdf['kb']:.0f} kB; {total} of them are {pdf['seconds'] * total:.0f} s of one core",
        flush=True,
    )
    for problem in (lat_problems + bur_problems)[:20]:
        print(f"bench_email: {problem}", flush=True)
    if lat_problems or bur_problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
