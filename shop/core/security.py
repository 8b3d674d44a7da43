"""Response headers of the shop: Stripe's hosts on the payment page only, a Permissions-Policy,
and SameSite on every cookie (Oscar's basket and history cookies set none). And the client's
IP address behind reverse proxies, for the sign-in lockouts and the per-IP limits."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

# Features no page of the shop uses; payment stays allowed for Stripe's Payment Element.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), usb=(), magnetometer=(), gyroscope=(), "
    'accelerometer=(), payment=(self "https://js.stripe.com")'
)
PAYMENT_PAGES = ("checkout:payment-details", "checkout:preview", "checkout:pay")


def stripe_csp_sources() -> dict[str, list[str]]:
    """Return the sources the payment page adds to the policy, for the mode the shop runs in.

    With real keys: Stripe.js, its frames and its API. Offline: localstripe's address,
    which serves its own Stripe.js and answers its calls.
    """
    if settings.STRIPE_API_BASE:
        parts = urlsplit(settings.STRIPE_API_BASE)
        origin = f"{parts.scheme}://{parts.netloc}"
        return {"script-src": [origin], "connect-src": [origin], "frame-src": [origin]}
    return {
        "script-src": ["https://js.stripe.com"],
        "connect-src": ["https://api.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    }


class SecurityHeadersMiddleware:
    """Add the payment page's CSP sources, the Permissions-Policy and SameSite=Lax cookies.

    Sits after django-csp's middleware, so the sources it adds reach the policy.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._payment_paths: set[str] | None = None

    def __call__(self, request):
        response = self.get_response(request)
        if self._payment_paths is None:
            self._payment_paths = {reverse(name) for name in PAYMENT_PAGES}
        if request.path in self._payment_paths:
            response._csp_update = stripe_csp_sources()
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        for morsel in response.cookies.values():
            if not morsel["samesite"]:
                morsel["samesite"] = "Lax"
        return response


def client_ip(request) -> str:
    """Return the client's IP address: REMOTE_ADDR, or the proxies' record of it.

    With SHOP_TRUSTED_PROXY_COUNT = n > 0, each of the n proxies appended the address it was
    reached from to X-Forwarded-For, so the client is the n-th entry from the right; entries
    further left are the client's own writing and are never used. A header with fewer entries
    gives its leftmost (a proxy in front was skipped); no header, or no address where the
    client should be, gives REMOTE_ADDR. Used by django-axes (AXES_CLIENT_IP_CALLABLE) and
    django-ratelimit (RATELIMIT_IP_META_KEY).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.SHOP_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    candidate = forwarded[-min(count, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
