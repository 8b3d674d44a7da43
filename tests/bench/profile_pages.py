"""Profile the storefront's pages in one thread with pyinstrument (not a test).

    python tests/bench/profile_pages.py [/catalogue/ /search/?q=knee ...] [--n 30]

Uses the database of DATABASE_URL (filled by load_catalogue). Requests go through
Django's test Client with a basket cookie-less visitor and the page cache off, so the
profile shows what an uncached render costs; prints the time per request and the
top frames of each page.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ["PAGECACHE_ENABLED"] = "false"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["/", "/catalogue/", "/search/?q=knee"])
    parser.add_argument("--n", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    for path in args.paths:
        Client().get(path)  # warm: templates, connections
        profiler = Profiler(interval=0.0005)
        with CaptureQueriesContext(connection) as queries:
            profiler.start()
            for _ in range(args.n):
                response = Client().get(path)
            profiler.stop()
        assert response.status_code == 200, (path, response.status_code)
        per = profiler.last_session.duration / args.n * 1000
        print(f"== {path}: {per:.1f} ms a request, {len(queries) / args.n:.0f} queries")
        print(profiler.output_text(unicode=False, color=False, show_all=False)[:6000])


if __name__ == "__main__":
    main()
