"""Attempts a visitor may make per IP address: password resets, registrations, guest order
lookups and voucher codes. Sign-in failures are locked by django-axes (see settings)."""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def rate_limit_for(view_name: str) -> str | None:
    """Return the rate ("5/15m") the POSTs of a page are limited to, or None."""
    return settings.SHOP_RATE_LIMITS.get(view_name)


class RateLimitMiddleware:
    """Answer 429, with a page saying when to try again, once an IP posts too often.

    The limits are per page (URL name) and IP address, counted in the cache (Redis), so every
    web process shares them. Only POSTs count: reading the pages is never limited.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rate = rate_limit_for(match.view_name) if match else None
        if rate is None or request.method != "POST":
            return None
        if is_ratelimited(request, group=match.view_name, key="ip", rate=rate, increment=True):
            return render(request, "429.html", {"rate": rate}, status=429)
        return None
