"""Side by side under load: stock Oscar 4.2.1 and the shop, same data, same servers.

Not a test: `make bench` runs it. It builds stock Oscar with the shared baseline
scripts (`../shared/bench/oscar-baseline` beside the project, BASELINE_DIR to
override) on their throwaway PostgreSQL cluster, puts the shop's own database
on that same cluster, seeds both with 100 products, runs both under gunicorn
(2 sync workers) and measures each page with wrk (16 connections, 20 s),
alternating stock and shop page by page. It prints one table, then stops
everything it started (gunicorns, the cluster).

Env: WRK_DURATION (20s), WRK_CONNECTIONS (16), WRK_WARMUP (3s), BENCH_DIR
(/tmp/shop-bench), BENCH_PGPORT (55471), BENCH_REDIS_URL (REDIS_URL or db 15),
BENCH_ONLY (labels' beginnings, comma-separated, e.g. "checkout,basket": those pages
alone, with the static ceiling and /catalogue/ visitor, to remeasure a few quickly).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(
    os.environ.get("BASELINE_DIR", ROOT.parent / "shared" / "bench" / "oscar-baseline")
)
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/tmp/shop-bench"))
STOCK_DIR = BENCH_DIR / "oscar"
PGPORT = os.environ.get("BENCH_PGPORT", "55471")
DUR = os.environ.get("WRK_DURATION", "20s")
CONNS = os.environ.get("WRK_CONNECTIONS", "16")
WARMUP = os.environ.get("WRK_WARMUP", "3s")
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "100"))
STOCK_PORT, SHOP_PORT = 8101, 8102
STATIC = "/static/oscar/img/image_not_found.jpg"
STOCK_ENV = {
    "OSCAR_BASELINE_DIR": str(STOCK_DIR),
    "OSCAR_BASELINE_PGPORT": PGPORT,
    "OSCAR_BASELINE_CONN_MAX_AGE": "60",  # stock's better setting, as the shop's
    "PYTHONWARNINGS": "ignore",
}
SHOP_ENV = {
    "SECRET_KEY": "bench-only-secret-key",
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PGPORT}/shop_bench_web",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL")
    or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    "CACHE_KEY_PREFIX": "shop-bench",
    "SHOP_VAR_DIR": str(BENCH_DIR / "shop-var"),
    "WHOOSH_PATH": str(BENCH_DIR / "shop-var" / "whoosh"),
    "MEDIA_ROOT": str(BENCH_DIR / "shop-var" / "media"),
    "PRIVATE_ROOT": str(BENCH_DIR / "shop-var" / "private"),
    "CELERY_QUEUE": "shop-bench",
    "PYTHONWARNINGS": "ignore",
}
STARTED: list[subprocess.Popen] = []
# The signed-in customer of the checkout rows, made the same way in both databases.
PATIENT_EMAIL, PATIENT_PASSWORD = "bench.patient@example.com", "bench-Patient-1"
CUSTOMER = f"""
from django.contrib.auth import get_user_model
User = get_user_model()
if not User.objects.filter(email="{PATIENT_EMAIL}").exists():
    User.objects.create_user("bench-patient", "{PATIENT_EMAIL}", "{PATIENT_PASSWORD}")
"""
STOCK_COUNTRY = """
from oscar.core.loading import get_model
get_model("address", "Country").objects.update_or_create(
    iso_3166_1_a2="SG", defaults=dict(iso_3166_1_a3="SGP", iso_3166_1_numeric="702",
    printable_name="Singapore", name="Republic of Singapore", is_shipping_country=True))
"""
# One address both forms take: the shop's asks name, street, postal code and phone; stock's
# also a last name, a city and the country (one shipping country: a hidden field).
ADDRESS = {
    "first_name": "Tan", "last_name": "Mei Ling", "line1": "2 Orchard Turn", "line2": "#03-04",
    "line4": "Singapore", "postcode": "079903", "country": "SG", "phone_number": "+65 9123 4567",
}  # fmt: skip
# (label, stock path, shop path, text both pages must show): the checkout pages a signed-in
# customer with one wellness product (delivered) sees on both. The shop has no preview step:
# its payment page shows the order, the address, the delivery and the card form, so it is
# compared with stock's preview (the order, the address, the delivery and "Place order");
# stock's own payment-details page is a placeholder without the order.
CHECKOUT_ROWS = [
    ("checkout address, signed", "/checkout/shipping-address/",
     "/checkout/shipping-address/", 'name="line1"'),
    ("checkout payment, signed", "/checkout/preview/", "/checkout/payment-details/",
     "2 Orchard Turn"),
]  # fmt: skip


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(cmd: list, env: dict | None = None, cwd=None, capture: bool = False) -> str:
    full = {**os.environ, **(env or {})}
    result = subprocess.run(cmd, env=full, cwd=cwd, check=True, text=True,
                            stdout=subprocess.PIPE if capture else None)  # fmt: skip
    return result.stdout if capture else ""


def build() -> tuple[dict, dict]:
    """Build and seed stock Oscar and the shop; return the URLs of each."""
    log("stock Oscar: setup (venv, PostgreSQL cluster, migrate) and seed")
    run(["bash", str(BASELINE / "setup.sh")], {**STOCK_ENV, "FRESH_DB": "1"})
    py = str(STOCK_DIR / "venv" / "bin" / "python")
    run([py, str(BASELINE / "seed.py"), "--products", str(PRODUCTS), "--orders", "0"], STOCK_ENV)
    stock = json.loads((STOCK_DIR / "seed.json").read_text())
    stock["basket_pk"] = stock["treatment_pk"]
    # Stock's seed makes Singapore a shipping country only with orders: the same delivery
    # country as the shop, so its address form can be filled in.
    stock_manage = [py, "manage.py", "shell", "-v", "0", "-c"]
    run([*stock_manage, STOCK_COUNTRY + CUSTOMER], STOCK_ENV, cwd=STOCK_DIR / "project")

    log("shop: database on the same cluster, migrate, catalogue, collectstatic")
    psql = ["psql", "-h", "127.0.0.1", "-p", PGPORT, "-U", "postgres", "-qAt", "-d", "postgres"]
    run([*psql, "-c", "DROP DATABASE IF EXISTS shop_bench_web"])
    run([*psql, "-c", "CREATE DATABASE shop_bench_web"])
    shutil.rmtree(BENCH_DIR / "shop-var", ignore_errors=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    run([*manage, "migrate", "--noinput", "-v0"], SHOP_ENV, cwd=ROOT)
    run([*manage, "collectstatic", "--noinput", "-v0"], SHOP_ENV, cwd=ROOT)
    out = run([sys.executable, str(ROOT / "tests" / "bench" / "seed_bench.py"), str(PRODUCTS)],
              SHOP_ENV, cwd=ROOT, capture=True)  # fmt: skip
    run([*manage, "shell", "-v", "0", "-c", CUSTOMER], SHOP_ENV, cwd=ROOT)
    return stock, json.loads(out.strip().splitlines()[-1])


def start_gunicorns() -> None:
    stock = subprocess.Popen(
        [str(STOCK_DIR / "venv" / "bin" / "gunicorn"), "shop.wsgi:application",
         "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{STOCK_PORT}",
         "--log-level", "warning"],
        cwd=STOCK_DIR / "project", env={**os.environ, **STOCK_ENV},
    )  # fmt: skip
    STARTED.append(stock)
    shop = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "shop.wsgi:application",
         "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{SHOP_PORT}",
         "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **SHOP_ENV},
    )  # fmt: skip
    STARTED.append(shop)
    for port in (STOCK_PORT, SHOP_PORT):
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/catalogue/", timeout=30)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"gunicorn on {port} did not come up")


def basket_cookie(port: int, product_url: str, pk: int, token_url: str | None) -> str:
    """Add one item to a new basket as a shopper would; return the Cookie header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"

    def unsecure() -> None:  # the shop's cookies are Secure; here it is plain http
        for cookie in jar:
            cookie.secure = False

    page = opener.open(base + product_url).read().decode()
    unsecure()
    if token_url:  # a cached page carries no token: ask for one as visitor.js does
        token = json.loads(opener.open(base + token_url).read())["csrf"]
        unsecure()
    else:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"quantity": 1, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/basket/add/{pk}/", data=data,
                                     headers={"Referer": base + product_url})  # fmt: skip
    opener.open(request).read()
    # The shop's cookies are Secure, so the redirect after the add (plain http here) did not
    # send the "added to your basket" message back: show it once, as a browser would.
    unsecure()
    opener.open(base + "/basket/").read()
    cookies = {c.name: c.value for c in jar}
    assert "messages" not in cookies, cookies
    assert "oscar_open_basket" in cookies, cookies
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


class _PlainCookies(urllib.request.HTTPCookieProcessor):
    """Keep the shop's Secure cookies for plain http, on every hop of a redirect too."""

    def http_response(self, request, response):
        response = super().http_response(request, response)
        for cookie in self.cookiejar:
            cookie.secure = False
        return response


def patient_cookie(port: int, product_url: str, pk: int, token_url: str | None) -> str:
    """Sign in, put one item in the basket and give the checkout an address and a delivery.

    Return the Cookie header of that browser, which has gone on to the payment step.
    """
    jar = CookieJar()
    opener = urllib.request.build_opener(_PlainCookies(jar))
    base = f"http://127.0.0.1:{port}"

    def post(path: str, referer: str, fields: dict) -> None:
        page = opener.open(base + referer).read().decode()
        if token_url:  # a cached page carries no token: ask for one as visitor.js does
            token = json.loads(opener.open(base + token_url).read())["csrf"]
        else:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            base + path, data=data, headers={"Referer": base + referer}
        )
        opener.open(request).read()

    login = {"login-username": PATIENT_EMAIL, "login-password": PATIENT_PASSWORD,
             "login_submit": "Log In"}  # fmt: skip
    post("/accounts/login/", "/accounts/login/", login)
    assert "sessionid" in {c.name for c in jar}, "the bench customer could not sign in"
    post(f"/basket/add/{pk}/", product_url, {"quantity": 1})
    post("/checkout/shipping-address/", "/checkout/shipping-address/", ADDRESS)
    # One delivery method on both: the step records it and goes on to payment (stock's
    # payment-details page, the shop's payment page).
    opener.open(base + "/checkout/shipping-method/").read()
    opener.open(base + "/checkout/shipping-address/").read()  # shows the sign-in's messages
    cookies = {c.name: c.value for c in jar if c.name != "messages"}
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def page_check(port: int, path: str, cookie: str, text: str) -> None:
    """Fail unless the page answers 200 (no redirect) with `text`, as wrk will ask it."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request) as response:
        body = response.read().decode()
        status = response.status
    assert status == 200 and text in body, (port, path, status, body[:2000])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _busy_ticks() -> int:
    """Return the CPU ticks used so far by the gunicorn workers this bench started."""
    total = 0
    for proc in STARTED:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        pids = children.read_text().split() if children.exists() else []
        for pid in [proc.pid, *pids]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
    return total


def settle(limit: float = 90.0) -> None:
    """Wait until both servers are idle: wrk leaves queued requests behind when it stops."""
    deadline = time.monotonic() + limit
    last = _busy_ticks()
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        time.sleep(0.3)
        now = _busy_ticks()
        quiet = quiet + 1 if now == last else 0
        last = now


def wrk(port: int, path: str, cookie: str = "", conns: str = CONNS) -> dict:
    url = f"http://127.0.0.1:{port}{path}"
    header = ["-H", f"Cookie: {cookie}"] if cookie else []
    base = ["wrk", "-t2", f"-c{conns}", "--timeout", "30s", *header]
    settle()
    subprocess.run([*base, f"-d{WARMUP}", url], check=True, capture_output=True)
    settle()
    script = str(BASELINE / "wrk_report.lua")
    out = subprocess.run([*base, f"-d{DUR}", "--latency", "-s", script, url],
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("WRKSUMMARY"))
    return {k: float(v) for k, v in (p.split("=") for p in line.split()[1:])}


def queries(python: str, cwd, env: dict, pages: list) -> list:
    """Count each page's SQL queries in-process (the Django test Client), warm."""
    out = run([python, str(ROOT / "tests" / "bench" / "count_queries.py"), json.dumps(pages)],
              env, cwd=cwd, capture=True)  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def fmt(r: dict | None) -> str:
    if r is None:
        return "        -        -        -"
    return f"{r['rps']:9.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f}"


def stop() -> None:
    for proc in STARTED:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    STARTED.clear()
    subprocess.run(["bash", str(BASELINE / "stop.sh")], env={**os.environ, **STOCK_ENV},
                   check=False, capture_output=True)  # fmt: skip


def measure(stock: dict, shop: dict) -> None:
    start_gunicorns()
    stock_cookie = basket_cookie(STOCK_PORT, stock["treatment_url"], stock["basket_pk"], None)
    shop_cookie = basket_cookie(SHOP_PORT, shop["wellness_url"], shop["basket_pk"], "/visitor/")
    stock_patient = patient_cookie(STOCK_PORT, stock["wellness_url"], stock["wellness_pk"], None)
    shop_patient = patient_cookie(SHOP_PORT, shop["wellness_url"], shop["basket_pk"], "/visitor/")
    # (label, stock path or None, shop path, stock cookie, shop cookie)
    rows = [
        ("static file (ceiling)", STATIC, STATIC, "", ""),
        ("/catalogue/ visitor", "/catalogue/", "/catalogue/", "", ""),
        ("/catalogue/ shopper", "/catalogue/", "/catalogue/", stock_cookie, shop_cookie),
        ("treatment page visitor", stock["treatment_url"], shop["treatment_url"], "", ""),
        ("treatment page shopper", stock["treatment_url"], shop["treatment_url"],
         stock_cookie, shop_cookie),
        ("wellness page visitor", stock["wellness_url"], shop["wellness_url"], "", ""),
        ("wellness page shopper", stock["wellness_url"], shop["wellness_url"],
         stock_cookie, shop_cookie),
        ("basket, one item", "/basket/", "/basket/", stock_cookie, shop_cookie),
        # Oscar's gateway: stock's default settings refuse guests a checkout (a redirect to
        # sign in), so only the shop's is measured.
        ("checkout, first page", None, "/checkout/", "", shop_cookie),
        *[(label, stock_path, shop_path, stock_patient, shop_patient)
          for label, stock_path, shop_path, _ in CHECKOUT_ROWS],
        ("home visitor", None, "/", "", ""),
        ("home shopper", None, "/", "", shop_cookie),
        ("condition visitor", None, shop["condition_url"], "", ""),
        ("article visitor", None, shop["article_url"], "", ""),
        ("search ?q=knee", "/search/?q=knee", "/search/?q=knee", stock_cookie, shop_cookie),
    ]  # fmt: skip
    only = [part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()]
    if only:  # the ceiling and stock's /catalogue/ stay: the table's ratios need them
        rows = rows[:2] + [row for row in rows[2:] if row[0].startswith(tuple(only))]
    for label, stock_path, shop_path, text in CHECKOUT_ROWS:
        log(f"check {label}: stock {stock_path}, shop {shop_path}")
        page_check(STOCK_PORT, stock_path, stock_patient, text)
        page_check(SHOP_PORT, shop_path, shop_patient, text)
    # A page is counted with the cookie wrk sends: none, a basket of one (True) or a
    # signed-in checkout's (the Cookie header itself).
    signed = {stock_patient, shop_patient}
    stock_q = queries(str(STOCK_DIR / "venv" / "bin" / "python"), STOCK_DIR / "project",
                      STOCK_ENV, [[p, c if c in signed else bool(c)]
                                  for _, p, _, c, _ in rows if p])  # fmt: skip
    shop_q = queries(sys.executable, ROOT, SHOP_ENV,
                     [[p, c if c in signed else bool(c)] for _, _, p, _, c in rows])  # fmt: skip
    stock_counts = iter(stock_q)
    stock_q_rows = [next(stock_counts) if p else "-" for _, p, _, _, _ in rows]
    results = []
    for label, stock_path, shop_path, stock_with, shop_with in rows:
        log(f"wrk {label}")
        s = wrk(STOCK_PORT, stock_path, stock_with) if stock_path else None
        m = wrk(SHOP_PORT, shop_path, shop_with)
        results.append((label, s, m))
    log("wrk treatment page visitor at 64 connections")
    wide = wrk(SHOP_PORT, shop["treatment_url"], "", conns="64")
    stop()

    (BENCH_DIR / "results.json").write_text(json.dumps({"rows": results, "c64": wide}))
    errors = [label for label, *rs in results for r in rs if r and (r["non2xx"] or r["timeouts"])]
    if errors:
        log(f"non-2xx responses or timeouts on: {', '.join(sorted(set(errors)))}")
    ceiling = results[0][2]["rps"]
    stock_catalogue = results[1][1]["rps"]
    print(
        f"\nPages: wrk -t2 -c{CONNS} -d{DUR}, gunicorn 2 sync workers, {PRODUCTS} products each,"
    )
    print("stock Oscar 4.2.1 with persistent connections (CONN_MAX_AGE=60) as the shop.")
    print("visitor = no cookie (the shop's page cache); shopper = a basket cookie (uncached);")
    print("signed = a signed-in customer with one wellness product, address and delivery given:")
    for label, stock_path, shop_path, _ in CHECKOUT_ROWS:
        print(f"  {label}: stock {stock_path} against the shop's {shop_path}")
    print()
    head = f"{'page':26} {'stock rps':>9} {'p50 ms':>8} {'p99 ms':>8} | {'shop rps':>9} {'p50 ms':>8} {'p99 ms':>8} | {'ratio':>6} {'queries':>9} {'of ceiling':>10}"  # noqa: E501
    print(head)
    print("-" * len(head))
    for (label, s, m), sq, shop_count in zip(results, stock_q_rows, shop_q, strict=True):
        ratio = f"{m['rps'] / max(s['rps'], 0.01):6.1f}" if s is not None else "     -"
        share = m["rps"] / ceiling
        print(f"{label:26} {fmt(s)} | {fmt(m)} | {ratio} {f'{sq}/{shop_count}':>9} {share:10.2f}")
    share = wide["rps"] / ceiling
    print(
        f"{'treatment visitor, c=64':26} {fmt(None)} | {fmt(wide)} |      - {'':>9} {share:10.2f}"
    )
    print("ratio = shop rps / stock rps; queries = stock/shop per request, warm; of ceiling =")
    search = next((m for label, _, m in results if label.startswith("search")), None)
    print("shop rps / shop static file rps.", end=" ")
    if search is not None:
        times = search["rps"] / max(stock_catalogue, 0.01)
        print(f"Search against stock's /catalogue/: {times:.1f} times.", end="")
    print("\n", flush=True)


def main() -> None:
    if not (BASELINE / "setup.sh").exists():
        sys.exit(f"the baseline scripts are not at {BASELINE} (set BASELINE_DIR)")
    if shutil.which("wrk") is None:
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", "wrk"], {"DEBIAN_FRONTEND": "noninteractive"})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        stock, shop = build()
        measure(stock, shop)
    finally:
        stop()


if __name__ == "__main__":
    main()
