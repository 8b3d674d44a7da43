"""Simulated patients: each checks out through the shop's real HTTP checkout.

A patient does what the checkout page's browser does (see
shop/static/shop/js/checkout-payment.js): adds to the basket from the product
page, checks out as a guest, gives a Singapore address when the basket is
delivered, turns the card into a token at localstripe (POST /v1/tokens, as
localstripe's Stripe.js does), posts its id with the total on the Pay button,
completes 3-D Secure at localstripe when asked and returns to the shop. A
patient who meets an error page or a dropped connection waits and reloads,
as a person would, a bounded number of times.

The shop runs behind a TLS proxy in production: the patients send
X-Forwarded-Proto: https (and the Origin header browsers send), and keep the
Secure cookies the shop sets as a browser on https does.
"""

import random
import re
import threading
import time
from dataclasses import dataclass, field

import requests

VISA = "4242424242424242"
SECURE = "4000002500003155"
DECLINED = "4000000000000341"

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
AMOUNT = re.compile(r'data-amount="(\d+)"')
PAY_URL = re.compile(r'data-pay-url="([^"]+)"')
RESUME_URL = re.compile(r'data-resume-url="([^"]+)"')
METHOD = re.compile(r'name="method_code" value="([^"]+)"')
ORDER_NUMBER = re.compile(r"Your order number is <strong>([^<]+)</strong>")

ADDRESS = {
    "first_name": "Tan Mei Ling",
    "line1": "10 Anson Road",
    "line2": "#03-04",
    "postcode": "079903",
    "phone_number": "9123 4567",
}

# Who a treatment is for: the checkout asks it for a basket with a package.
PATIENT = {"name": "Tan Mei Ling", "phone": "9123 4567"}


class GaveUp(Exception):
    """The patient stopped trying (the shop kept failing, or refused the basket)."""


@dataclass
class Outcome:
    """What one patient saw."""

    number: int
    email: str
    cards: list
    skus: dict
    order_number: str = ""
    result: str = "not started"
    errors: int = 0
    notes: list = field(default_factory=list)


class Patient:
    """One person at one browser."""

    def __init__(self, *, outcome: Outcome, base: str, stripe_base: str, key: str, deadline):
        self.o = outcome
        self.base = base
        self.stripe_base = stripe_base
        self.key = key
        self.deadline = deadline
        self.http = requests.Session()
        self.http.headers.update({"X-Forwarded-Proto": "https", "User-Agent": "drill-patient"})
        self.origin = "https://" + base.split("://", 1)[1]
        self.referer = self.origin + "/"

    # --- HTTP as a browser -------------------------------------------------

    def _keep_cookies(self) -> None:
        for cookie in self.http.cookies:
            cookie.secure = False  # the browser is on https; this client talks plain http

    def request(
        self, method: str, path: str, *, tries: int = 10, ajax: bool = False, **kwargs
    ) -> requests.Response:
        """Send a request; on a dropped connection or an error page wait and try again."""
        headers = {"Referer": self.referer}
        if ajax:
            headers["X-Requested-With"] = "XMLHttpRequest"
        if method == "POST":
            headers["Origin"] = self.origin
        for attempt in range(tries):
            if time.monotonic() > self.deadline:
                raise GaveUp("out of time")
            try:
                response = self._send(method, path, headers, kwargs)
            except requests.RequestException as error:
                self.o.errors += 1
                self.o.notes.append(f"{method} {path}: {type(error).__name__}")
            else:
                self._keep_cookies()
                if response.status_code < 500:
                    if not ajax:
                        self.referer = self.origin + response.url.split(self.base, 1)[-1]
                    return response
                self.o.errors += 1
                self.o.notes.append(f"{method} {path}: {response.status_code}")
            time.sleep(min(2 + 2 * attempt, 10) + random.random())
        raise GaveUp(f"{method} {path} kept failing")

    def _send(self, method: str, path: str, headers: dict, kwargs: dict) -> requests.Response:
        """Send one request and follow its redirects, the proxy's https ones included."""
        response = self.http.request(
            method, self.base + path, headers=headers, timeout=60, allow_redirects=False, **kwargs
        )
        for _ in range(10):
            if not response.is_redirect:
                break
            self._keep_cookies()
            location = response.headers["Location"]
            if location.startswith(self.origin):
                location = location[len(self.origin) :]
            if "://" in location:
                raise requests.exceptions.InvalidURL(f"redirect off the shop: {location}")
            response = self.http.get(
                self.base + location,
                headers={"Referer": headers["Referer"]},
                timeout=60,
                allow_redirects=False,
            )
        return response

    def page(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def post_form(self, path: str, page: requests.Response, data: dict) -> requests.Response:
        token = CSRF.search(page.text)
        if token is None:
            raise GaveUp(f"no form on {page.url}")
        return self.request("POST", path, data={"csrfmiddlewaretoken": token.group(1), **data})

    @staticmethod
    def think() -> None:
        time.sleep(0.3 + random.random() * 1.5)

    # --- The checkout ------------------------------------------------------

    def run(self, products: dict) -> None:
        try:
            self._shop(products)
            self._checkout()
            self._pay()
        except GaveUp as why:
            self.o.result = f"gave up: {why}"
        except Exception as error:  # a defect in the drill itself: report, never hang
            self.o.result = f"drill error: {type(error).__name__}: {error}"

    def _shop(self, products: dict) -> None:
        self.page("/")
        for sku, quantity in self.o.skus.items():
            product = products[sku]
            self.think()
            page = self.page(product["url"])
            added = self.post_form(product["add_url"], page, {"quantity": quantity})
            if "/basket/" not in added.url and added.url.rstrip("/") != page.url.rstrip("/"):
                self.o.notes.append(f"add {sku} ended on {added.url}")

    def _checkout(self) -> None:
        page = self.page("/checkout/")
        page = self.post_form(
            "/checkout/", page, {"username": self.o.email, "options": "anonymous"}
        )
        for _ in range(6):
            path = page.url.split(self.base, 1)[-1]
            if path.startswith("/checkout/payment-details/"):
                return
            self.think()
            if path.startswith("/checkout/patient/"):
                page = self.post_form(path, page, PATIENT)
            elif path.startswith("/checkout/shipping-address/"):
                page = self.post_form(path, page, ADDRESS)
            elif path.startswith("/checkout/shipping-method/"):
                method = METHOD.search(page.text)
                if method is None:
                    raise GaveUp("no delivery method offered")
                page = self.post_form(path, page, {"method_code": method.group(1)})
            elif path.startswith("/basket/"):
                raise GaveUp("sent back to the basket (out of stock?)")
            else:
                page = self.page("/checkout/")
        raise GaveUp(f"the checkout did not reach the payment page ({page.url})")

    def _card_token(self, number: str) -> str:
        data = {
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "34",
            "card[cvc]": "123",
            "card[address_zip]": "079903",
            "key": self.key,
            "payment_user_agent": "localstripe",
        }
        response = requests.post(f"{self.stripe_base}/v1/tokens", data=data, timeout=30)
        response.raise_for_status()
        return response.json()["card"]["id"]

    def _authenticate(self, client_secret: str) -> None:
        intent_id = client_secret.split("_secret", 1)[0]
        response = requests.post(
            f"{self.stripe_base}/v1/payment_intents/{intent_id}/_authenticate",
            data={"key": self.key, "client_secret": client_secret, "success": "true"},
            timeout=30,
        )
        response.raise_for_status()

    def _ajax(self, path: str, page: requests.Response, data: dict) -> dict | None:
        """Post as the page's script does; None when the answer is not the shop's JSON."""
        token = CSRF.search(page.text)
        if token is None:
            return None
        try:
            response = self.request(
                "POST",
                path,
                tries=1,
                ajax=True,
                data={"csrfmiddlewaretoken": token.group(1), **data},
            )
        except GaveUp:
            return None
        if "application/json" not in response.headers.get("Content-Type", ""):
            self.o.notes.append(f"{path}: {response.status_code} {response.url[-40:]}")
            return None
        return response.json() | {"_status": response.status_code}

    def _pay(self) -> None:
        cards = list(self.o.cards)
        for _ in range(8):
            page = self.page("/checkout/payment-details/")
            path = page.url.split(self.base, 1)[-1]
            if path.startswith("/checkout/thank-you/"):
                return self._thanked(page)
            if path.startswith("/basket/"):
                if "Your basket is empty." in page.text:
                    raise GaveUp("the basket was emptied without an order")
                raise GaveUp("sent back to the basket (out of stock?)")
            if not path.startswith("/checkout/payment-details/"):
                raise GaveUp(f"the payment page sent the patient to {path}")
            amount, pay_url, resume_url = (
                pattern.search(page.text) for pattern in (AMOUNT, PAY_URL, RESUME_URL)
            )
            if amount is None or pay_url is None or resume_url is None:
                raise GaveUp("no Pay button on the payment page")
            self.think()
            number = cards[0]
            try:
                card = self._card_token(number)
            except requests.RequestException:
                self.o.errors += 1
                time.sleep(3)
                continue
            answer = self._ajax(
                pay_url.group(1), page, {"payment_method": card, "amount": amount.group(1)}
            )
            if answer and answer.get("action") == "authenticate":
                try:
                    self._authenticate(answer["client_secret"])
                except requests.RequestException:
                    self.o.errors += 1
                answer = self._ajax(resume_url.group(1), page, {})
            if answer is None:  # an error page or no answer: reload the payment page
                time.sleep(3)
                continue
            if answer.get("redirect") and not answer.get("error"):
                return self._thanked(self.page(answer["redirect"]))
            if answer.get("_status") == 402 and "declined" in answer.get("error", ""):
                self.o.notes.append("declined")
                if len(cards) > 1:
                    cards.pop(0)
                continue
            self.o.notes.append(f"pay: {answer.get('_status')} {answer.get('error', '')[:60]}")
            time.sleep(3)
        raise GaveUp("could not pay after 8 tries")

    def _thanked(self, page: requests.Response) -> None:
        number = ORDER_NUMBER.search(page.text)
        if number is None:
            raise GaveUp(f"no order number on {page.url}")
        self.o.order_number = number.group(1)
        self.o.result = "ordered"


def patients_plan(*, count: int, packages: list, wellness: list, scarce: str) -> list[Outcome]:
    """Return `count` patients with mixed baskets and cards, the same every run.

    A third buy packages only, a third wellness products only, a third both;
    everyone with wellness products takes one `scarce` item (stock for fewer
    than all). Cards: 4242 mostly, 4000002500003155 (3-D Secure) for every
    fifth, and 4000000000000341 (declined) then 4242 for every fifth.
    """
    rng = random.Random(15)
    plan = []
    for i in range(count):
        skus: dict = {}
        if i % 3 in (0, 2):
            skus[rng.choice(packages)] = 1 + (i % 7 == 0)
        if i % 3 in (1, 2):
            skus[scarce] = 1
            skus[rng.choice(wellness)] = rng.randint(1, 2)
        cards = {3: [SECURE], 4: [DECLINED, VISA]}.get(i % 5, [VISA])
        plan.append(
            Outcome(
                number=i + 1, email=f"patient{i + 1:02d}@drill.example", cards=cards, skus=skus
            )
        )
    return plan


def patients_run(
    *, plan: list, products: dict, base: str, stripe_base: str, key: str, seconds: float
) -> list[Outcome]:
    """Run every patient at once (one thread each, starts spread over 90 s); wait for all."""
    deadline = time.monotonic() + seconds
    threads = []
    for outcome in plan:

        def one(outcome=outcome):
            time.sleep(random.Random(outcome.number).random() * 90)
            outcome.result = "running"
            Patient(
                outcome=outcome, base=base, stripe_base=stripe_base, key=key, deadline=deadline
            ).run(products)

        thread = threading.Thread(target=one, daemon=True, name=f"patient-{outcome.number}")
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic() + 70))
    return plan
