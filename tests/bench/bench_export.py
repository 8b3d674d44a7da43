"""Benchmark of the accountants' CSV export: 100,000 orders with 250,000 lines.

Not a test: `make bench` runs it and it prints its figures. It creates its own
database (BENCH_DATABASE, default `shop_bench`) on the PostgreSQL server of
DATABASE_URL, migrates it, fills it with COPY, then runs the export in a fresh
process (so its peak memory is the export's alone) and drops the database.

    python tests/bench/bench_export.py [--orders 100000] [--keep] [--reuse]

`--keep` keeps the database; `--reuse` exports from a kept one without building it
again. Target on a 2-core machine: at most 10 s and 150 MB peak, with a fixed number
of queries per chunk of orders. The machine may be shared: the export process's CPU
time is printed beside its wall time, and the file's SHA-256 (the same data must give
the same bytes, whatever the code does to be fast).
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RANGE_FROM, RANGE_TO = date(2026, 1, 1), date(2026, 3, 31)
ORDER_COLUMNS = [
    "id",
    "number",
    "currency",
    "total_incl_tax",
    "total_excl_tax",
    "shipping_incl_tax",
    "shipping_excl_tax",
    "shipping_method",
    "shipping_code",
    "status",
    "guest_email",
    "date_placed",
    "basket_id",
    "billing_address_id",
    "shipping_address_id",
    "site_id",
    "user_id",
    "shipping_tax_code",
    "analytics_tracked",
]
LINE_COLUMNS = [
    "id",
    "partner_name",
    "partner_sku",
    "partner_line_reference",
    "partner_line_notes",
    "title",
    "upc",
    "quantity",
    "line_price_incl_tax",
    "line_price_excl_tax",
    "line_price_before_discounts_incl_tax",
    "line_price_before_discounts_excl_tax",
    "unit_price_incl_tax",
    "unit_price_excl_tax",
    "status",
    "order_id",
    "partner_id",
    "product_id",
    "stockrecord_id",
    "tax_code",
    "allocation_cancelled",
    "num_allocated",
]
SOURCE_COLUMNS = [
    "id",
    "currency",
    "amount_allocated",
    "amount_debited",
    "amount_refunded",
    "reference",
    "label",
    "order_id",
    "source_type_id",
]
EVENT_COLUMNS = [
    "id",
    "amount",
    "reference",
    "date_created",
    "event_type_id",
    "order_id",
    "shipping_event_id",
]
DISCOUNT_COLUMNS = [
    "id",
    "category",
    "offer_id",
    "offer_name",
    "voucher_id",
    "voucher_code",
    "frequency",
    "amount",
    "message",
    "order_id",
]
LINES_PER_ORDER = (1, 2, 3, 4)  # 2.5 on average: 250,000 lines for 100,000 orders


def database_urls() -> tuple[str, str]:
    """Return the URLs of the server's maintenance database and of the bench database."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        base, parts = (
            "postgres://postgres@127.0.0.1:5432/postgres",
            urlsplit("postgres://postgres@127.0.0.1:5432/postgres"),
        )
    name = os.environ.get("BENCH_DATABASE", "shop_bench")
    return (
        urlunsplit(parts._replace(path="/postgres")),
        urlunsplit(parts._replace(path=f"/{name}")),
    )


def django_setup(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key",
            "ALLOWED_HOSTS": "127.0.0.1",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("WHOOSH_PATH", tempfile.mkdtemp(prefix="shop-bench-whoosh-"))
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="shop-bench-media-"))
    import django

    django.setup()


def database_recreate(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _gst_cents(cents: int) -> int:
    # 9/109 of a GST-inclusive amount, rounded half up, in whole cents.
    return (cents * 9 * 2 + 109) // (2 * 109)


def data_fill(orders: int) -> dict:
    """Fill the migrated bench database with paid orders, lines, payments and refunds."""
    from django.core.management import call_command
    from django.db import connection
    from oscar.core.loading import get_model

    call_command("load_catalogue", no_index=True, verbosity=0)
    StockRecord = get_model("partner", "StockRecord")
    SourceType = get_model("payment", "SourceType")
    PaymentEventType = get_model("order", "PaymentEventType")
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(
                username=f"bench{i}", email=f"bench{i}@example.com", first_name="Bench",
                last_name=f"Patient {i}",
            )
            for i in range(500)
        ]
    )  # fmt: skip
    records = list(
        StockRecord.objects.select_related("product", "partner")
        .exclude(price=None)
        .values_list("id", "partner_id", "partner__name", "partner_sku", "product_id",
                     "product__title", "product__parent__title", "price")
    )  # fmt: skip
    stripe = SourceType.objects.get_or_create(code="stripe", defaults={"name": "Stripe"})[0]
    settled = PaymentEventType.objects.get_or_create(name="Settled", defaults={"code": "settled"})[
        0
    ]
    refunded = PaymentEventType.objects.get_or_create(
        name="Refunded", defaults={"code": "refunded"}
    )[0]

    start = datetime.combine(RANGE_FROM, datetime.min.time(), tzinfo=UTC) - timedelta(hours=8)
    span = (RANGE_TO - RANGE_FROM).days * 86400 + 86000
    order_rows, line_rows, source_rows, event_rows, discount_rows = [], [], [], [], []
    line_id = event_id = discount_id = 0
    for order_id in range(1, orders + 1):
        placed = start + timedelta(seconds=span * (order_id - 1) // orders)
        count = LINES_PER_ORDER[order_id % len(LINES_PER_ORDER)]
        total = total_tax = 0
        shipping = 0
        for n in range(count):
            sr_id, partner_id, partner_name, sku, product_id, title, parent_title, price = records[
                (order_id * 7 + n * 3) % len(records)
            ]
            quantity = 1 + (order_id + n) % 3 if sku.startswith("WP-") else 1
            if sku.startswith("WP-"):
                shipping = 500
            unit = int(price * 100)
            incl = unit * quantity
            tax = _gst_cents(incl)
            line_id += 1
            total += incl
            total_tax += tax
            line_rows.append(
                (line_id, partner_name, sku, "", "", title or parent_title or sku, None, quantity,
                 _money(incl), _money(incl - tax), _money(incl), _money(incl - tax),
                 _money(unit), _money(unit - _gst_cents(unit)), "Paid", order_id, partner_id,
                 product_id, sr_id, None, False, 0)
            )  # fmt: skip
        ship_tax = _gst_cents(shipping)
        total += shipping
        total_tax += ship_tax
        user_id = users[order_id % len(users)].pk if order_id % 3 == 0 else None
        status = "Paid"
        reference = f"pi_bench_{order_id:08d}"
        paid = placed + timedelta(seconds=5)
        event_id += 1
        event_rows.append((event_id, _money(total), reference, paid, settled.pk, order_id, None))
        refunded_cents = 0
        if order_id % 20 == 0:
            refunded_cents = total if order_id % 40 == 0 else total // 4
            status = "Refunded" if refunded_cents == total else "Partially refunded"
            event_id += 1
            event_rows.append(
                (event_id, _money(refunded_cents), f"re_bench_{order_id:08d}",
                 paid + timedelta(days=3), refunded.pk, order_id, None)
            )  # fmt: skip
        if order_id % 10 == 0:
            discount_id += 1
            discount_rows.append(
                (discount_id, "Basket", None, "Bench offer", None, "", 1, "1.00", "", order_id)
            )
        source_rows.append(
            (order_id, "SGD", _money(total), _money(total), _money(refunded_cents), reference,
             "", order_id, stripe.pk)
        )  # fmt: skip
        order_rows.append(
            (order_id, f"B{order_id:08d}", "SGD", _money(total), _money(total - total_tax),
             _money(shipping), _money(shipping - ship_tax), "Bench shipping", "bench", status,
             "" if user_id else f"guest{order_id}@example.com", placed, None, None, None, 1,
             user_id, None, False)
        )  # fmt: skip

    tables = {
        "order_order": (ORDER_COLUMNS, order_rows),
        "order_line": (LINE_COLUMNS, line_rows),
        "payment_source": (SOURCE_COLUMNS, source_rows),
        "order_paymentevent": (EVENT_COLUMNS, event_rows),
        "order_orderdiscount": (DISCOUNT_COLUMNS, discount_rows),
    }
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        for table, (columns, rows) in tables.items():
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        for table in tables:
            # Table names are this script's constants above.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
    raw.commit()
    return {"orders": len(order_rows), "lines": len(line_rows), "events": len(event_rows)}


def peak_memory_kb() -> int:
    """Return this process's peak resident memory in kB.

    VmHWM, because ru_maxrss carries over the parent's peak through fork and exec
    (the parent holds the generated data when it starts the export process).
    """
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def export_run(per: str, output: str) -> dict:
    """Run the export to a file in this process; return time, peak memory and queries."""
    from django.db import connection

    from shop.accounting.columns import ExportTotals
    from shop.accounting.formats import export_csv_chunks
    from shop.accounting.rows import ExportSpec

    spec = ExportSpec(date_from=RANGE_FROM, date_to=RANGE_TO, per=per, format="csv")
    totals = ExportTotals()
    per_chunk: list[int] = []
    executed = [0]
    seen = [0]

    def count_queries(execute, sql, params, many, context):
        # Counting through an execute wrapper keeps no SQL (a debug cursor would).
        executed[0] += 1
        return execute(sql, params, many, context)

    def on_chunk(count: int) -> None:
        per_chunk.append(executed[0] - seen[0])
        seen[0] = executed[0]

    digest = hashlib.sha256()
    with connection.execute_wrapper(count_queries):
        began, cpu_began = time.perf_counter(), time.process_time()
        with open(output, "wb") as handle:
            for piece in export_csv_chunks(spec=spec, totals=totals, on_chunk=on_chunk):
                handle.write(piece)
                digest.update(piece)
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    peak_kb = peak_memory_kb()
    return {
        "per": per,
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),
        "sha256": digest.hexdigest(),
        "peak_mb": round(peak_kb / 1024, 1),
        "orders": totals.orders,
        "rows": totals.rows,
        "bytes": Path(output).stat().st_size,
        "chunks": len(per_chunk),
        "queries_total": executed[0],
        "queries_per_chunk_max": max(per_chunk) if per_chunk else 0,
        "queries_per_chunk_min": min(per_chunk) if per_chunk else 0,
    }


def database_build(bench_url: str, orders: int) -> None:
    """Migrate the new bench database and fill it."""
    django_setup(bench_url)
    from django.core.management import call_command
    from django.db import connections

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    counts = data_fill(orders)
    filled = time.perf_counter()
    print(
        f"bench_export: migrated in {migrated - began:.1f} s; inserted {counts['orders']} "
        f"orders, {counts['lines']} lines, {counts['events']} payment events in "
        f"{filled - migrated:.1f} s",
        flush=True,
    )
    connections.close_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse", action="store_true", help="export from the kept bench database, keep it"
    )
    parser.add_argument("--export-only", choices=["order", "line"], help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    admin_url, bench_url = database_urls()
    name = urlsplit(bench_url).path.lstrip("/")

    if args.export_only:  # the measured child process
        django_setup(bench_url)
        print(json.dumps(export_run(args.export_only, args.output)))
        return

    keep = args.keep or args.reuse
    if not args.reuse:
        print(f"bench_export: building {args.orders} orders in database {name} ...", flush=True)
        database_recreate(admin_url, name)
    try:
        if not args.reuse:
            database_build(bench_url, args.orders)
        with tempfile.TemporaryDirectory() as folder:
            for per in ("line", "order"):
                output = str(Path(folder) / f"export-{per}.csv")
                result = subprocess.run(  # noqa: S603
                    [sys.executable, __file__, "--export-only", per, "--output", output],
                    check=True,
                    capture_output=True,
                    text=True,
                    env=dict(os.environ, DATABASE_URL=bench_url),
                )
                figures = json.loads(result.stdout.strip().splitlines()[-1])
                verdict = (
                    "OK"
                    if figures["seconds"] <= 10 and figures["peak_mb"] <= 150
                    else "OVER TARGET"
                )
                print(
                    f"bench_export: CSV per {per}: {figures['orders']} orders, {figures['rows']} "
                    f"rows, {figures['bytes'] / 1e6:.1f} MB file in {figures['seconds']} s "
                    f"(CPU {figures['cpu_seconds']} s), "
                    f"peak memory {figures['peak_mb']} MB (peak RSS of the export process), "
                    f"{figures['chunks']} chunks, queries per chunk "
                    f"{figures['queries_per_chunk_min']}-{figures['queries_per_chunk_max']} "
                    f"({figures['queries_total']} in all), sha256 {figures['sha256'][:16]} "
                    f"[{verdict}: target 10 s, 150 MB]",
                    flush=True,
                )
    finally:
        if not keep:
            from django.db import connections

            connections.close_all()
            database_recreate(admin_url, name, drop_only=True)


if __name__ == "__main__":
    main()
