"""Profile the checkout's pages of a shopper part-way through it (not a test).

    python tests/checkout/profile_steps.py [--as basket|patient] [--n 20] [--sql]

`tests/bench/profile_pages.py` GETs a page with a basket cookie; the checkout's later
steps need checkout session data first (a guest's email, the patient's details, an
address, a delivery method). This walks the steps with Django's test Client as a
browser does, then measures a repeated GET of each page as profile_pages.py does (CPU
ms per request in one thread, queries per request without BEGIN/COMMIT); `--sql`
lists one request's queries. A page answering a redirect is measured as such.
"""

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from profile_pages import shopper_client  # noqa: E402  (sets the settings up first)

PAGES = [
    "/checkout/",
    "/checkout/patient/",
    "/checkout/shipping-address/",
    "/checkout/shipping-method/",
    "/checkout/payment-details/",
]
ADDRESS = {
    "first_name": "Tan Mei Ling",
    "line1": "10 Anson Road",
    "postcode": "079903",
    "phone_number": "9123 4567",
}


def walk(client, role: str) -> None:
    """Give the checkout session what its later steps need."""
    if role == "basket":
        guest = {"username": "profile.guest@example.com", "options": "anonymous"}
        client.post("/checkout/", guest)
    client.post("/checkout/patient/", {"name": "Tan Mei Ling", "phone": "9123 4567"})
    client.post("/checkout/shipping-address/", ADDRESS)
    client.get("/checkout/shipping-method/")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=PAGES)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--as", dest="role", choices=["basket", "patient"], default="basket")
    parser.add_argument("--sql", action="store_true", help="print the queries of one request")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = shopper_client(args.role)()
    walk(client, args.role)
    for path in args.paths:
        for _ in range(3):
            response = client.get(path)
        with CaptureQueriesContext(connection) as queries:
            cpu = time.process_time()
            for _ in range(args.n):
                client.get(path)
            cpu = time.process_time() - cpu
        count = sum(1 for q in queries if not re.match(r"(BEGIN|COMMIT)", q["sql"]))
        where = f" -> {response['Location']}" if response.status_code == 302 else ""
        print(
            f"== {path} as {args.role}: {response.status_code}{where}, "
            f"{cpu / args.n * 1000:.1f} ms CPU a request, {count / args.n:.0f} queries"
        )
        if args.sql:
            with CaptureQueriesContext(connection) as one:
                client.get(path)
            for query in one:
                print("   ", query["sql"][:160])


if __name__ == "__main__":
    main()
