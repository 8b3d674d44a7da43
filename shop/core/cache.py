"""Django's Redis cache, kept answering while Redis is away.

Everything the shop keeps in its cache can be made again: cached pages, fragments, the
header's basket summary, thumbnails' keys, rate-limit counters. With Redis down (a restart,
a network blip) a read is a miss and a write is dropped, so pages render from PostgreSQL
instead of answering 500; one warning a minute says so. Rate limits fail open for the
outage (sign-in lockouts are kept in PostgreSQL by django-axes and stay). When Redis comes
back it is empty or holds what it held: a generation bump missed during the outage leaves
pages at most PAGECACHE_TIMEOUT old.

django-redis's IGNORE_EXCEPTIONS does this for its own backend; this keeps Django's.

Django's client builds a new `redis.Redis` around its connection pool for every read and
write; redis-py's constructor fills its table of reply handlers each time (about 0.3 ms of
CPU, twice the command itself). The client is thread-safe and holds nothing but the pool,
so one is made per pool and kept (the cache itself is per thread in Django).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (ConnectionError, TimeoutError)
WARN_EVERY_SECONDS = 60
_last_warning = [0.0]


def _unavailable(operation: str, error: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning("cache unavailable (%s: %s): serving without it", operation, error)


class ResilientRedisCacheClient(RedisCacheClient):
    """A read that fails is a miss; a write that fails is dropped."""

    def get_client(self, key=None, *, write=False):
        """Return the `redis.Redis` of the pool this operation uses, made once per pool."""
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except UNAVAILABLE as error:
            _unavailable("add", error)
            return False

    def get(self, key, default):
        try:
            return super().get(key, default)
        except UNAVAILABLE as error:
            _unavailable("get", error)
            return default

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        except UNAVAILABLE as error:
            _unavailable("set", error)

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except UNAVAILABLE as error:
            _unavailable("touch", error)
            return False

    def delete(self, key):
        try:
            return super().delete(key)
        except UNAVAILABLE as error:
            _unavailable("delete", error)
            return False

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except UNAVAILABLE as error:
            _unavailable("get_many", error)
            return {}

    def has_key(self, key):
        try:
            return super().has_key(key)
        except UNAVAILABLE as error:
            _unavailable("has_key", error)
            return False

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except UNAVAILABLE as error:
            _unavailable("incr", error)
            # What Django raises for a missing key: callers already handle it.
            raise ValueError(f"Key '{key}' not reachable: the cache is unavailable.") from error

    def set_many(self, data, timeout):
        try:
            super().set_many(data, timeout)
        except UNAVAILABLE as error:
            _unavailable("set_many", error)

    def delete_many(self, keys):
        try:
            super().delete_many(keys)
        except UNAVAILABLE as error:
            _unavailable("delete_many", error)


class ResilientRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` on the resilient client."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
