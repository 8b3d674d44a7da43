"""A payment left half-way is settled on the patient's next visit to the basket or checkout.

A request can end before the checkout has: the database restarted during `pay`
(so the session was not saved), the tab was closed during 3-D Secure, or the
webhook placed the order while the browser was away. The basket is then frozen
(or submitted) and Oscar loads a new, empty one. On a GET of the basket or a
checkout page this middleware finds the patient's basket of that checkout (the
checkout session's, the guest's signed basket cookie, or a signed-in patient's
frozen basket), asks Stripe about its PaymentIntent and:

- paid: the order (placed now if the webhook has not) and its thank-you page;
- not paid: the PaymentIntent is cancelled, its stock given back, and the
  basket given back to the patient, who may pay again;
- still processing, or Stripe or the database cannot say: nothing is changed.

It looks only when a payment can be in flight: the payment page and every answer
of `pay` / `pay/resume` (the 503 of an outage too, which needs no database) set a
small signed cookie naming the checkout's basket (`PAYMENT_COOKIE`), and so does
a checkout session already read for other reasons. Without either a basket page
costs no query here. The cookie is deleted once settled (the thank-you page, the
basket given back, or nothing in flight found). A browser without it (cookies
cleared, another device of a signed-in patient) is settled by the webhook and
the reservation sweep instead, and the order's email is its thank-you.
"""

import logging

from django import http
from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.base import UpdateError
from django.core.signing import BadSignature, Signer
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import OuterRef, Q
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from shop.payments import facade

logger = logging.getLogger("shop.checkout")

Basket = get_model("basket", "Basket")
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")

DATABASE_UNAVAILABLE = (
    "We could not finish your payment just now. Please try again in a moment: "
    "your basket is kept, and you will not be charged twice."
)
GIVEN_BACK = "Your payment was not completed and no payment was taken. Your basket is back."
OUTAGE_ERRORS = (OperationalError, InterfaceError)
# Names the basket whose payment may be in flight; a day covers the reservation sweep's window.
PAYMENT_COOKIE = "shop_payment"
PAYMENT_COOKIE_AGE = 24 * 60 * 60
_SALT = "shop.checkout.recovery"


def database_unavailable(request, error) -> http.JsonResponse:
    """Answer a database outage during a payment step: 503, try again in a moment."""
    logger.error("Database unavailable during %s: %s", request.path, error)
    try:
        if request.session.modified:
            request.session.save()
    except (DatabaseError, UpdateError):
        # Still down: leave the session as it was (the basket's cookie finds the basket).
        request.session.modified = False
    response = http.JsonResponse({"error": DATABASE_UNAVAILABLE}, status=503)
    response["Retry-After"] = "5"
    return response


def remember_payment(response, basket_id) -> None:
    """Name the checkout's basket in the payment cookie: a payment of it may be in flight."""
    if basket_id:
        response.set_cookie(
            PAYMENT_COOKIE,
            Signer(salt=_SALT).sign(int(basket_id)),
            max_age=PAYMENT_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def forget_payment(request, response) -> None:
    """Delete the payment cookie (unless this response names a basket again)."""
    if PAYMENT_COOKIE in request.COOKIES and PAYMENT_COOKIE not in response.cookies:
        response.delete_cookie(PAYMENT_COOKIE, samesite="Lax")


def _cookie_basket_id(request) -> int | None:
    try:
        return int(Signer(salt=_SALT).unsign(request.COOKIES.get(PAYMENT_COOKIE, "")))
    except (BadSignature, ValueError):
        return None


def _session_basket_id(request) -> int | None:
    """Return the checkout session's submitted basket, only when the session is already read."""
    session = getattr(request, "session", None)
    if session is None or not hasattr(session, "_session_cache"):
        return None
    # Read as CheckoutSessionData stores it, without adding its keys (a session to save).
    data = session.get(CheckoutSessionData.SESSION_KEY) or {}
    submitted = (data.get("submission") or {}).get("basket_id")
    return int(submitted) if submitted else None


def checkout_basket_id(request) -> int | None:
    """Return the basket this checkout pays for, from what is already read (no query)."""
    submitted = _session_basket_id(request)
    basket = getattr(request, "_basket_cache", None)
    return submitted or (basket.pk if basket is not None else None)


def payment_may_be_in_flight(request) -> bool:
    """Whether this request can have a payment left half-way (no query, no session read)."""
    return _cookie_basket_id(request) is not None or _session_basket_id(request) is not None


def _checkout_baskets(request) -> list[tuple[object, bool]]:
    """Return (basket, from this checkout's session) of the baskets a payment may hold.

    All in one query, each basket with `holds_stock` (an unpaid PaymentIntent of it still
    holds stock): the cookie makes every reload of the payment page look, so the look
    costs one query, not one for each basket and its payment.
    """
    submitted = CheckoutSessionData(request).get_submitted_basket_id()
    submitted = int(submitted) if submitted else None
    user = request.user
    cookie = None
    if not user.is_authenticated and settings.OSCAR_BASKET_COOKIE_OPEN in request.COOKIES:
        try:
            cookie = int(Signer().unsign(request.COOKIES[settings.OSCAR_BASKET_COOKIE_OPEN]))
        except (BadSignature, ValueError):
            cookie = None
    named = _cookie_basket_id(request)
    where = Q(pk__in=[pk for pk in (submitted, cookie, named) if pk is not None])
    if user.is_authenticated:
        where |= Q(owner=user, status=Basket.FROZEN)
    holding = facade.payment_holds_stock_exists(OuterRef("pk"))
    baskets = {
        basket.pk: basket for basket in Basket.objects.filter(where).annotate(holds_stock=holding)
    }
    order = [(submitted, True)] if submitted else []
    if user.is_authenticated:
        frozen = sorted(
            (pk for pk, basket in baskets.items()
             if basket.owner_id == user.pk and basket.status == Basket.FROZEN),
            reverse=True,
        )  # fmt: skip
        order += [(pk, False) for pk in frozen[:3]]
    elif cookie is not None and cookie != submitted:
        order.append((cookie, False))
    if named is not None and all(named != pk for pk, _ in order):
        order.append((named, False))
    return [(baskets[pk], mine) for pk, mine in order if pk in baskets]


def _belongs(basket, request, from_session: bool) -> bool:
    if from_session:
        return True
    user = request.user
    return basket.owner_id == user.pk if user.is_authenticated else basket.owner_id is None


def _thank_you(request, order) -> http.HttpResponse:
    """Finish the checkout of this session's placed order, as Oscar's checkout does."""
    CheckoutSessionData(request).flush()
    request.session["checkout_order_id"] = order.pk
    return http.HttpResponseRedirect(reverse("checkout:thank-you"))


def order_of_submitted_basket(request):
    """Return the order of this checkout's basket when it is already placed (by the webhook)."""
    basket_id = CheckoutSessionData(request).get_submitted_basket_id()
    if not basket_id or not Basket.objects.filter(pk=basket_id, status=Basket.SUBMITTED).exists():
        return None
    return facade.order_for_basket(basket_id=int(basket_id))


def interrupted_payment_recover(request) -> http.HttpResponse | None:
    """Settle the patient's payment left half-way; return where to go, or None to carry on.

    PaymentPending when a payment is still processing (or Stripe cannot say) and
    nothing else was settled: look again on the next visit.
    """
    pending = None
    for basket, from_session in _checkout_baskets(request):
        if not _belongs(basket, request, from_session):
            continue
        if basket.status == Basket.SUBMITTED:
            order = facade.order_for_basket(basket_id=basket.pk)
            if order is not None and request.session.get("checkout_order_id") != order.pk:
                return _thank_you(request, order)
            continue
        held = basket.status == Basket.OPEN and basket.holds_stock
        if basket.status != Basket.FROZEN and not held:
            continue
        try:
            order = facade.payment_interrupted_settle(basket_id=basket.pk)
        except facade.PaymentPending as still:
            pending = still
            continue
        if order is not None:
            return _thank_you(request, order)
        if basket.status == Basket.FROZEN:
            return _give_back(request, basket)
        return None
    if pending is not None:
        raise pending
    return None


def _give_back(request, basket) -> http.HttpResponse | None:
    """Thaw the basket and make it the patient's basket again.

    Carry on to the page asked for; when the guest's basket cookie names another
    basket (what they added meanwhile is merged in), come back to it with the cookie.
    """
    with transaction.atomic():
        basket = Basket.objects.select_for_update().get(pk=basket.pk)
        if basket.status == Basket.FROZEN:
            basket.thaw()
    messages.info(request, GIVEN_BACK)
    if request.user.is_authenticated:
        return None
    key = settings.OSCAR_BASKET_COOKIE_OPEN
    cookie = _unsigned(request.COOKIES.get(key, ""))
    if cookie == basket.pk:
        return None
    current = Basket.open.filter(pk=cookie, owner=None).first() if cookie else None
    if current is not None:
        basket.merge(current)
    response = http.HttpResponseRedirect(request.get_full_path())
    response.set_cookie(
        key,
        Signer().sign(basket.pk),
        max_age=settings.OSCAR_BASKET_COOKIE_LIFETIME,
        secure=settings.OSCAR_BASKET_COOKIE_SECURE,
        httponly=True,
    )
    return response


def _unsigned(cookie: str) -> int | None:
    try:
        return int(Signer().unsign(cookie))
    except (BadSignature, ValueError):
        return None


class InterruptedPaymentMiddleware:
    """On a GET of the basket or a checkout page, settle a payment left half-way."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def _watched(self, path: str) -> bool:
        if self._paths is None:
            self._paths = (
                reverse("basket:summary"),
                reverse("checkout:index"),
                reverse("checkout:thank-you"),
            )
        basket, checkout, thank_you = self._paths
        return path == basket or (path.startswith(checkout) and not path.startswith(thank_you))

    def __call__(self, request):
        if not (
            request.method == "GET"
            and self._watched(request.path)
            and payment_may_be_in_flight(request)
        ):
            return self.get_response(request)
        settled = True
        try:
            response = interrupted_payment_recover(request)
        except (DatabaseError, facade.PaymentPending) as error:
            # The page itself will say what it can; nothing was changed. Look again next time.
            logger.warning("Interrupted payments not settled for now: %s", error)
            response, settled = None, False
        if response is None:
            response = self.get_response(request)
        if settled:
            forget_payment(request, response)
        return response
