"""Oscar's analytics counters, written safely; product views counted in Redis, then flushed.

A product page used to run Oscar's `UPDATE` of the product's counter row on every view
(and, for a signed-in patient, their own counter row and an insert of the view), inside
the request's transaction: three round trips to PostgreSQL for a count nobody reads at
once. A view is now one Redis round trip: `HINCRBY` of the product's count in a hash
(and, for a patient, `RPUSH` of who viewed what and when to a list). The beat task
`shop.analytics.tasks.product_views_flush_task` moves what was counted into Oscar's rows:

- the live hash and list are renamed to a batch (a Lua script: atomic, so a view counted
  while the flush runs lands in the next batch), and the batch is named in a set of
  pending batches;
- each pending batch is added to the rows in one transaction (`counter_add`: the same
  race-safe increment as the sales), then deleted. A batch whose transaction fails stays
  pending and is added by the next flush; only a crash between the commit and the
  deletion (a few microseconds) would count a batch twice.

With Redis away (or no Redis: the local stack's in-memory cache), a view is counted in
PostgreSQL at once, as before. What Redis holds when it restarts without its data is
lost: at most one flush interval of views.
"""

import logging
import time
import uuid
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from oscar.core.loading import get_model
from redis.exceptions import ConnectionError, TimeoutError

ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")
Product = get_model("catalogue", "Product")

logger = logging.getLogger("shop.analytics")

UNAVAILABLE = (ConnectionError, TimeoutError)
VIEWS_KEY = "analytics:product-views"  # hash: product id -> views
USER_VIEWS_KEY = "analytics:user-product-views"  # list: "user id:product id:epoch seconds"
PENDING_KEY = "analytics:product-views-pending"  # set of batch ids not yet flushed
LOCK_KEY = "analytics:product-views-flush-lock"
LOCK_SECONDS = 300

# Rename the live hash and list to a batch's keys and name the batch pending, at once.
_TAKE = """
local moved = 0
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[3]); moved = 1 end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[4]); moved = 1 end
if moved == 1 then redis.call('SADD', KEYS[5], ARGV[1]) end
return moved
"""


def counter_add(*, model, field_name: str, filter_kwargs: dict, increment: int = 1) -> None:
    """Add `increment` to a counter row, creating the row on first use, safely under races."""
    records = model._default_manager.filter(**filter_kwargs)
    if records.update(**{field_name: F(field_name) + increment}):
        return
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the transaction usable
            model._default_manager.create(**filter_kwargs, **{field_name: increment})
    except IntegrityError:
        # Another transaction created the row first (and has committed: the insert waited).
        records.update(**{field_name: F(field_name) + increment})


def _redis():
    """Return the cache's Redis client, or None when the cache is not Redis."""
    get_client = getattr(getattr(cache, "_cache", None), "get_client", None)
    return None if get_client is None else get_client(write=True)


def _key(name: str) -> str:
    return cache.make_and_validate_key(name)


def product_view_record(*, product_id: int, user_id: int | None) -> None:
    """Count a view in PostgreSQL at once (Oscar's way): the product's, the user's, the view."""
    counter_add(
        model=ProductRecord, field_name="num_views", filter_kwargs={"product_id": product_id}
    )
    if user_id is not None:
        counter_add(
            model=UserRecord, field_name="num_product_views", filter_kwargs={"user_id": user_id}
        )
        UserProductView._default_manager.create(product_id=product_id, user_id=user_id)


def product_view_count(*, product_id: int, user_id: int | None = None) -> None:
    """Count a view of a product page in Redis (one round trip), or at once without Redis."""
    client = _redis()
    if client is not None:
        try:
            pipe = client.pipeline(transaction=False)
            pipe.hincrby(_key(VIEWS_KEY), str(product_id), 1)
            if user_id is not None:
                pipe.rpush(_key(USER_VIEWS_KEY), f"{user_id}:{product_id}:{time.time():.6f}")
            pipe.execute()
            return
        except UNAVAILABLE as error:
            logger.warning("Product views counted in PostgreSQL: Redis unavailable (%s)", error)
    product_view_record(product_id=product_id, user_id=user_id)


def _batch_keys(batch: str) -> tuple[str, str]:
    return _key(f"{VIEWS_KEY}:batch:{batch}"), _key(f"{USER_VIEWS_KEY}:batch:{batch}")


def _batch_add(*, counts: dict[int, int], views: list[tuple[int, int, float]]) -> int:
    """Add one batch to Oscar's rows (in the caller's transaction); return the views added."""
    products = set(Product._default_manager.filter(pk__in=counts).values_list("pk", flat=True))
    for product_id in sorted(products):  # one order of rows: no deadlock with the sales
        counter_add(
            model=ProductRecord,
            field_name="num_views",
            filter_kwargs={"product_id": product_id},
            increment=counts[product_id],
        )
    User = UserRecord._meta.get_field("user").related_model
    users = set(
        User._default_manager.filter(pk__in={u for u, _, _ in views}).values_list("pk", flat=True)
    )
    kept = [(u, p, at) for u, p, at in views if u in users and p in products]
    per_user: dict[int, int] = {}
    for user_id, _, _ in kept:
        per_user[user_id] = per_user.get(user_id, 0) + 1
    for user_id in sorted(per_user):
        counter_add(
            model=UserRecord,
            field_name="num_product_views",
            filter_kwargs={"user_id": user_id},
            increment=per_user[user_id],
        )
    rows = UserProductView._default_manager.bulk_create(
        [UserProductView(user_id=u, product_id=p) for u, p, _ in kept]
    )
    for row, (_, _, at) in zip(rows, kept, strict=True):
        row.date_created = datetime.fromtimestamp(at, tz=UTC)  # when viewed, not when flushed
    if rows:
        UserProductView._default_manager.bulk_update(rows, ["date_created"])
    return sum(counts[pk] for pk in products)


def _batch_read(client, batch: str) -> tuple[dict[int, int], list[tuple[int, int, float]]]:
    views_key, user_key = _batch_keys(batch)
    counts = {int(pk): int(n) for pk, n in client.hgetall(views_key).items()}
    views = []
    for entry in client.lrange(user_key, 0, -1):
        user_id, product_id, at = entry.decode().split(":", 2)
        views.append((int(user_id), int(product_id), float(at)))
    return counts, views


def product_views_flush() -> int:
    """Add the views counted in Redis to Oscar's analytics rows; return the views added."""
    client = _redis()
    if client is None or not cache.add(LOCK_KEY, 1, LOCK_SECONDS):
        return 0
    added = 0
    try:
        batch = uuid.uuid4().hex
        live = (_key(VIEWS_KEY), _key(USER_VIEWS_KEY))
        client.eval(_TAKE, 5, *live, *_batch_keys(batch), _key(PENDING_KEY), batch)
        for pending in sorted(member.decode() for member in client.smembers(_key(PENDING_KEY))):
            counts, views = _batch_read(client, pending)
            try:
                with transaction.atomic():
                    added += _batch_add(counts=counts, views=views)
            except Exception:  # the batch stays pending: the next flush adds it
                logger.exception("Could not add the product views of batch %s", pending)
                continue
            client.delete(*_batch_keys(pending))
            client.srem(_key(PENDING_KEY), pending)
    finally:
        cache.delete(LOCK_KEY)
    return added
