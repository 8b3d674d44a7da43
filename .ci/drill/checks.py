"""The drill's look inside the shop: the catalogue to buy from, and the final checks.

    python .ci/drill/checks.py plan                 # JSON: the products patients buy
    python .ci/drill/checks.py settle MAIL PATIENTS DEADLINE

Run with the drill's environment (its database, Redis, localstripe). `settle`
waits until the outbox has nothing pending and the SMTP server has every
email (or the deadline, a Unix time, passes), then checks that nothing was
lost, prints a summary table and exits 1 on any loss.
"""

import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

import django  # noqa: E402

django.setup()

import stripe  # noqa: E402
from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django.db.models import F  # noqa: E402
from django.urls import reverse  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from shop.catalogue.selectors import TREATMENT_CLASS  # noqa: E402
from shop.core.money import to_cents  # noqa: E402
from shop.notifications.models import Confirmation, OutboxEmail  # noqa: E402

Order = get_model("order", "Order")
Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")

PACKAGES = ["TUI-1", "TUI-5", "ACU-5", "FEM-5", "YQG-10", "KWT-1"]
WELLNESS = ["WP-MOXA", "WP-HEAT", "WP-OILM", "WP-TEAC", "WP-TEAR", "WP-SOAK"]
SCARCE = "WP-GUAS"


def plan() -> None:
    """Print the products patients buy: URLs of their pages and basket forms, stock."""
    products = {}
    for record in StockRecord.objects.select_related("product").filter(
        partner_sku__in=PACKAGES + WELLNESS + [SCARCE]
    ):
        product = record.product
        page = product.parent if product.parent_id else product
        products[record.partner_sku] = {
            "url": page.get_absolute_url(),
            "add_url": reverse("basket:add", kwargs={"pk": product.pk}),
            "stock": record.num_in_stock,
        }
    missing = set(PACKAGES + WELLNESS + [SCARCE]) - set(products)
    if missing:
        sys.exit(f"the catalogue lacks {sorted(missing)}")
    print(
        json.dumps(
            {"products": products, "packages": PACKAGES, "wellness": WELLNESS, "scarce": SCARCE}
        )
    )


def _mail(path: Path) -> tuple[list, int]:
    taken, refused = [], 0
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if record.get("refused"):
            refused += 1
        else:
            taken.append(record)
    return taken, refused


def _pending() -> int:
    close_old_connections()
    return (
        Confirmation.objects.filter(status=Confirmation.Status.PENDING).count()
        + OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count()
    )


def _intents() -> dict:
    client = stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )
    found = {}
    for intent in client.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter():
        found[intent.id] = intent
    return found


def _credit_counts():
    """Return {order line id: credits} when the package credits app is installed, else None."""
    if not apps.is_installed("shop.packages"):
        return None
    for model in apps.get_app_config("packages").get_models():
        for field in model._meta.fields:
            if field.is_relation and field.related_model is Line:
                return Counter(model.objects.values_list(field.attname, flat=True))
    return Counter()


def settle(mail_path: Path, patients_path: Path, deadline: float) -> int:
    """Wait for the outbox to drain (bounded), check nothing was lost, print the table."""
    waited, quiet, last = time.time(), 0, None
    while time.time() < deadline:
        pending = _pending()
        orders = Order.objects.count()
        taken, _ = _mail(mail_path)
        if pending == 0 and len(taken) >= 2 * orders:
            break
        # Nothing pending and nothing new for 30 s: what is missing will not come.
        quiet = quiet + 1 if pending == 0 and len(taken) == last else 0
        if quiet >= 3:
            break
        last = len(taken)
        print(f"  settling: {pending} email(s) pending, {len(taken)}/{2 * orders} delivered")
        time.sleep(10)
    waited = time.time() - waited

    intents = _intents()
    succeeded = {i: pi for i, pi in intents.items() if pi.status == "succeeded"}
    orders = list(Order.objects.prefetch_related("sources", "lines__product__parent"))
    by_intent = Counter()
    unpaid, wrong_amount = [], []
    for order in orders:
        refs = [s.reference for s in order.sources.all() if s.reference in succeeded]
        if not refs:
            unpaid.append(order.number)
        for ref in refs:
            by_intent[ref] += 1
            if succeeded[ref].amount != to_cents(order.total_incl_tax):
                wrong_amount.append(order.number)
    not_one = {i: by_intent[i] for i in succeeded if by_intent[i] != 1}

    negative = list(
        StockRecord.objects.filter(num_in_stock__lt=F("num_allocated")).values_list(
            "partner_sku", "num_in_stock", "num_allocated"
        )
    ) + list(StockRecord.objects.filter(num_in_stock__lt=0).values_list("partner_sku"))

    taken, refused = _mail(mail_path)
    subjects = Counter()
    for message in taken:
        for number in re.findall(r"order (\S+?)(?: is confirmed|:)", message["subject"]):
            kind = "clinic" if message["subject"].startswith("New order") else "patient"
            subjects[(number, kind)] += 1
    numbers = {o.number for o in orders}
    bad_mail = [
        f"{o.number}/{kind}x{subjects[(o.number, kind)]}"
        for o in orders
        for kind in ("patient", "clinic")
        if subjects[(o.number, kind)] != 1
    ] + [f"{n}/{k}:no such order" for (n, k) in subjects if n not in numbers]
    unsent = [
        f"{number}/{kind}:{status} after {attempts} tries"
        for number, kind, status, attempts in Confirmation.objects.exclude(
            status=Confirmation.Status.SENT
        ).values_list("order__number", "kind", "status", "attempts")
    ]

    credits = _credit_counts()
    bad_credits = []
    if credits is not None:
        for order in orders:
            for line in order.lines.all():
                product = line.product
                klass = product and (product.parent or product).product_class
                want = line.quantity if klass and klass.slug == TREATMENT_CLASS else 0
                if credits[line.pk] != want:
                    bad_credits.append(f"{order.number}/line {line.pk}: {credits[line.pk]}/{want}")

    patients = json.loads(patients_path.read_text())
    claimed = [p for p in patients if p["order_number"]]
    ghost = [p["order_number"] for p in claimed if p["order_number"] not in numbers]
    results = Counter(p["result"].split(":")[0] for p in patients)

    rows = [
        ("succeeded PaymentIntents, each exactly one order", len(succeeded), not_one),
        ("orders without a succeeded PaymentIntent", len(orders), unpaid),
        ("orders whose total is not the amount paid", len(orders), wrong_amount),
        ("stock records below zero", StockRecord.objects.count(), negative),
        ("orders' emails (patient + clinic) sent once each", 2 * len(orders), bad_mail),
        ("order confirmations not marked sent", Confirmation.objects.count(), unsent),
        ("order numbers shown to patients that do not exist", len(claimed), ghost),
    ]
    if credits is None:
        rows.append(("package credits (shop.packages not installed: not checked)", 0, []))
    else:
        rows.append(("package credits, one per package unit", sum(credits.values()), bad_credits))
    print()
    print(f"  patients: {dict(results)}; thank-you pages seen: {len(claimed)}")
    print(
        f"  PaymentIntents at localstripe: {len(intents)} "
        f"({dict(Counter(pi.status for pi in intents.values()))})"
    )
    print(f"  orders: {len(orders)}; emails delivered: {len(taken)}, refused with 451: {refused}")
    print(f"  settled after {waited:.0f} s")
    print()
    print(f"  {'check':<56} {'of':>5} {'lost':>5}  result")
    lost = 0
    if len(claimed) < len(patients) // 2:
        # Fewer than half got through: the drill proved nothing about what was kept.
        rows.append(
            (
                "patients who reached the thank-you page (half at least)",
                len(patients),
                len(patients) - len(claimed),
            )
        )
    for name, of, problems in rows:
        count = problems if isinstance(problems, int) else len(problems)
        lost += count
        detail = "" if isinstance(problems, int) else ", ".join(map(str, list(problems)[:6]))
        verdict = "ok" if count == 0 else f"LOSS {detail}"
        print(f"  {name:<56} {of:>5} {count:>5}  {verdict}")
    stuck = [
        f"{p['number']}:{p['result'][:40]}"
        for p in patients
        if p["result"] != "ordered" and "out of stock" not in p["result"]
    ]
    emails = {p["email"] for p in patients if not p["order_number"]}
    unseen = [o.number for o in orders if o.guest_email in emails]
    verdict = "ok" if not unseen else "WARN " + ", ".join(unseen[:6])
    name = "orders whose patient was not shown the thank-you page"
    print(f"  {name:<56} {len(orders):>5} {len(unseen):>5}  {verdict}")
    verdict = "ok" if not stuck else "WARN " + ", ".join(stuck[:4])
    name = "patients who gave up or lost their basket, not a loss"
    print(f"  {name:<56} {len(patients):>5} {len(stuck):>5}  {verdict}")
    print()
    print("  drill: nothing lost" if lost == 0 else f"  drill: {lost} problem(s) found")
    return 1 if lost else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["plan"]:
        plan()
    elif sys.argv[1:2] == ["settle"]:
        sys.exit(settle(Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])))
    else:
        sys.exit(__doc__)
