"""Profile the storefront's pages in one thread with pyinstrument (not a test).

    python tests/bench/profile_pages.py [/catalogue/ /search/?q=knee ...] [--n 30]
        [--as visitor|basket|patient] [--cpu-only] [--top 6000]

Uses the database of DATABASE_URL (filled by load_catalogue or seed_bench.py).
Requests go through Django's test Client with the page cache off, so the profile
shows what an uncached render costs. `--as basket` sends a basket cookie holding one
item (as `make bench`'s shopper), `--as patient` a signed-in patient with one item in
their basket; `visitor` (the default) a new cookie-less client each time.

For each page it prints the CPU time per request of this process (`time.process_time`,
measured without the profiler: on a shared machine wall time is noisy, CPU time is
not), the wall time, the queries per request, then pyinstrument's top frames.
PostgreSQL's and Redis's own CPU is not in the figure: the query count stands for it.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ["PAGECACHE_ENABLED"] = "false"

PATIENT_EMAIL = "profile.patient@example.com"


def shopper_client(role: str):
    """Return a function that gives the client of the next request for `role`."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from oscar.core.loading import get_model

    if role == "visitor":
        return lambda: Client()
    product = (
        get_model("partner", "StockRecord").objects.filter(product__parent__isnull=True)
        .select_related("product").order_by("pk").first().product
    )  # fmt: skip
    client = Client()
    if role == "patient":
        user, _ = get_user_model().objects.get_or_create(
            username=PATIENT_EMAIL[:30], defaults={"email": PATIENT_EMAIL}
        )
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        get_model("basket", "Basket").open.filter(owner=user).delete()
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert response.status_code in (200, 302), response.status_code
    return lambda: client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["/", "/catalogue/", "/search/?q=knee"])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--as", dest="role", choices=["visitor", "basket", "patient"],
                        default="visitor")  # fmt: skip
    parser.add_argument("--cpu-only", action="store_true", help="no pyinstrument profile")
    parser.add_argument("--top", type=int, default=6000, help="characters of profile shown")
    parser.add_argument("--sql", action="store_true", help="print the queries of one request")
    parser.add_argument("--flat", action="store_true", help="functions by their own time")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    next_client = shopper_client(args.role)
    for path in args.paths:
        for _ in range(3):  # warm: templates, connections, fragments
            response = next_client().get(path)
        assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(args.n):
                next_client().get(path)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        count = sum(1 for q in queries if not re.match(r"(BEGIN|COMMIT)", q["sql"]))
        print(
            f"== {path} as {args.role}: {cpu / args.n * 1000:.1f} ms CPU, "
            f"{wall / args.n * 1000:.1f} ms wall a request, {count / args.n:.0f} queries"
        )
        if args.sql:
            with CaptureQueriesContext(connection) as one:
                next_client().get(path)
            for query in one:
                print("   ", query["sql"][:240])
        if args.cpu_only:
            continue
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.n):
            next_client().get(path)
        profiler.stop()
        text = profiler.output_text(unicode=False, color=False, show_all=False, flat=args.flat)
        print(text[: args.top])


if __name__ == "__main__":
    main()
