"""Serve the storefront's public pages from Redis to visitors without a basket or login.

A crowd from a campaign lands on a few pages (home, the catalogue, a product, a
condition, an article). Those visitors have no basket, no login and no messages,
so the page they get is the same for all of them: it is rendered once, kept in
the cache and served without touching the database.

- Eligible: GET or HEAD of a path under `PAGECACHE_PATHS`, no query string but a
  page number (`?page=2`), and no cookie but the CSRF one
  (`PAGECACHE_ALLOWED_COOKIES`). A session (login, staff preview), a basket,
  messages or a recently-viewed history sends the request through the normal,
  uncached path. The history cookie a product page sets is the same for every
  cookie-less visitor, so it is kept with the page and set again on each hit.
- No per-visitor bytes are kept: the CSRF token inside forms is blanked
  (`value=""` with `data-csrf`) in the cache; each response puts the visitor's
  own token there as it leaves (and sets their CSRF cookie when they have none),
  so forms work without JavaScript and no token is ever served to another.
  `shop/js/visitor.js` fills any blank field left from the CSRF cookie or from
  `/visitor/` (a small per-visitor JSON request). The basket of an
  eligible visitor is empty by definition; messages always come with a cookie.
  No other Set-Cookie is stored.
- The Content-Security-Policy nonce (django-csp, outside this middleware) is per response:
  the kept page holds a placeholder where the nonce of the render stood, and each response
  puts in the nonce of its own request, which django-csp then names in its header. No
  nonce is ever served twice.
- Invalidation: every key holds a generation number; any save or delete of what
  these pages show (catalogue, stock and prices, offers, content, pages, sites)
  bumps the generation (`pagecache_bump`, at once and again after commit), so the
  next anonymous view renders afresh.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from functools import cache as memoise

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CSRF_SECRET_LENGTH, get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_BLANK = rb"\1\2 data-csrf"
CSRF_SLOT = b'value="" data-csrf'
NONCE_SLOT = b'nonce="" data-csp-nonce'
# Kept fragments (basket page, product parts, `{% fragment %}`) hold this for each token.
TOKEN_SLOT = "__csrf_token_slot__"  # noqa: S105  (a placeholder, no secret)
PAGE_QUERY = re.compile(r"^page=([1-9][0-9]{0,3})$")
STORED_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Vary")


def csrf_blank(html: str) -> str:
    """Return rendered HTML with its CSRF tokens replaced by the placeholder (to be kept)."""
    return CSRF_INPUT.sub(rb"\g<1>" + TOKEN_SLOT.encode() + rb"\g<2>", html.encode()).decode()


def csrf_filled(html: str, token) -> str:
    """Return kept HTML with this visitor's CSRF token put back."""
    return html.replace(TOKEN_SLOT, str(token)) if TOKEN_SLOT in html else html


@memoise
def _fingerprint() -> str:
    """Return a short digest of the settings every page shows (the clinic's details) and
    `PAGECACHE_VERSION`, so a deploy that changes them never serves the old pages."""
    from shop.core.selectors import clinic_details

    parts = repr((sorted(clinic_details().items()), settings.SITE_URL, settings.PAGECACHE_VERSION))
    return hashlib.sha256(parts.encode()).hexdigest()[:12]


def _cache():
    return caches[getattr(settings, "PAGECACHE_CACHE", "default")]


def pagecache_generation() -> int:
    """Return the current generation of the cached pages (created at 1)."""
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return int(generation)


def pagecache_bump() -> None:
    """Make every cached page stale: the next view of each renders it again."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet
        cache.add(GENERATION_KEY, 2, timeout=None)


def _normalised_query(request: HttpRequest) -> str | None:
    """Return the part of the query string the key keeps, or None when it is not cacheable."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return ""
    match = PAGE_QUERY.match(query)
    if match is None:
        return None
    return "" if match.group(1) == "1" else f"page={match.group(1)}"


def _eligible(request: HttpRequest) -> str | None:
    """Return the cache key's path part for a request the cache may answer, else None."""
    if not getattr(settings, "PAGECACHE_ENABLED", True):
        return None
    if request.method not in ("GET", "HEAD"):
        return None
    allowed = set(getattr(settings, "PAGECACHE_ALLOWED_COOKIES", ()))
    if any(name not in allowed for name in request.COOKIES):
        return None
    path = request.path
    prefixes = getattr(settings, "PAGECACHE_PATHS", ())
    if not any(path == p if p == "/" else path.startswith(p) for p in prefixes):
        return None
    if any(path.startswith(p) for p in getattr(settings, "PAGECACHE_EXCLUDED_PATHS", ())):
        return None
    query = _normalised_query(request)
    if query is None:
        return None
    return f"{_fingerprint()}:{request.get_host()}{path}?{query}"


def _storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    # A cookie other than the CSRF one (a session, a basket, messages) is per visitor; the
    # replayed ones are the same for every cookie-less visitor (a history of this product).
    allowed = {*_setting("PAGECACHE_ALLOWED_COOKIES"), *_setting("PAGECACHE_REPLAYED_COOKIES")}
    return all(name in allowed for name in response.cookies)


def _setting(name: str) -> tuple:
    return tuple(getattr(settings, name, ()))


def _replayed_cookies(response: HttpResponse) -> str:
    names = _setting("PAGECACHE_REPLAYED_COOKIES")
    return "\n".join(m.OutputString() for n, m in response.cookies.items() if n in names)


def _visitor_csrf(request: HttpRequest) -> tuple[str, bool]:
    """Return this visitor's CSRF token (masked) and whether their CSRF cookie is new."""
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    known = len(secret) == CSRF_SECRET_LENGTH and secret.isalnum()
    if known:
        request.META["CSRF_COOKIE"] = secret
    return get_token(request), not known


def _blank_nonce(request: HttpRequest, content: bytes) -> bytes:
    """Put the placeholder where the nonce of this render stands (none used: unchanged)."""
    nonce = getattr(request, "_csp_nonce", None)
    if not isinstance(nonce, str):
        return content
    return content.replace(b'nonce="' + nonce.encode() + b'"', NONCE_SLOT)


def _build(
    content: bytes, headers: dict, cookies: str, status: str, request: HttpRequest
) -> HttpResponse:
    new_cookie = False
    if NONCE_SLOT in content:  # this response's own nonce, which django-csp puts in the header
        nonce = str(request.csp_nonce).encode()
        content = content.replace(NONCE_SLOT, b'nonce="' + nonce + b'"')
    if CSRF_SLOT in content:  # the visitor's own token, made now, never kept
        token, new_cookie = _visitor_csrf(request)
        content = content.replace(CSRF_SLOT, b'value="' + token.encode() + b'" data-csrf')
    response = HttpResponse(content, status=200)
    if new_cookie:
        response.set_cookie(
            settings.CSRF_COOKIE_NAME,
            request.META["CSRF_COOKIE"],
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
    for name, value in headers.items():
        response[name] = value
    for line in filter(None, cookies.split("\n")):
        response.cookies.load(line)
    response["X-Page-Cache"] = status
    return response


class PageCacheMiddleware:
    """Answer eligible requests from the cache; render and keep them on a miss."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _eligible(request)
        if where is None:
            return self.get_response(request)
        cache = _cache()
        key = f"pagecache:page:{hashlib.sha256(where.encode()).hexdigest()[:32]}"
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # noqa: BLE001  (Redis down: render as if there were no cache)
            return self.get_response(request)
        generation = found.get(GENERATION_KEY)
        stored = found.get(key)
        if generation is not None and stored is not None and stored[0] == generation:
            return _build(*stored[1:], "hit", request)
        if generation is None:
            generation = pagecache_generation()
        response = self.get_response(request)
        if not _storable(response):
            return response
        content = _blank_nonce(request, CSRF_INPUT.sub(CSRF_BLANK, response.content))
        headers = {h: response[h] for h in STORED_HEADERS if h in response}
        cookies = _replayed_cookies(response)
        timeout = getattr(settings, "PAGECACHE_TIMEOUT", 600)
        try:
            cache.set(key, (generation, content, headers, cookies), timeout=timeout)
        except Exception:  # noqa: BLE001  (Redis down: the page is simply not kept)
            logger.warning("page cache: could not keep %s", where, exc_info=True)
        # The visitor who caused the miss gets the very bytes later visitors get.
        return _build(content, headers, cookies, "miss", request)


@never_cache
@require_GET
def visitor_state(request: HttpRequest) -> JsonResponse:
    """Return what a cached page leaves out for this visitor: the CSRF token and the basket."""
    basket = getattr(request, "basket", None)
    count = basket.num_items if basket is not None and basket.id else 0
    return JsonResponse({"csrf": get_token(request), "basket_count": count})
