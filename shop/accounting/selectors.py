"""Reads of the order exports: orders of a date range, streamed in chunks.

An export may cover 100,000 orders. On PostgreSQL they are read by
shop.accounting.sql: a server-side cursor for the orders and, per chunk, one query
for everything else they show. Elsewhere (SQLite for `make run`) they are read here
through the ORM: a server-side cursor (`iterator(chunk_size=...)`) and, for each
chunk, their lines, payment sources, payment events, discounts and tax document
numbers with one query each (a prefetch per chunk, by order id). Either way the
number of queries grows with the number of chunks, never with the number of orders,
and rows are read as plain tuples rather than model instances: building 600,000
model instances for a large export would cost more time than the whole export is
allowed. Both readers make the same records (shop.accounting.records).
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.db import connections
from django.db.models import Sum
from oscar.core.loading import get_model

from shop.accounting.records import ITEM_TYPES, LineRecord, OrderRecord, customer_name, local
from shop.accounting.sql import order_chunks_sql
from shop.core.selectors import CLINIC_TZ
from shop.invoices.numbers import order_document_numbers
from shop.payments.selectors import refunded_amount

Order = get_model("order", "Order")
Line = get_model("order", "Line")
PaymentEvent = get_model("order", "PaymentEvent")
OrderDiscount = get_model("order", "OrderDiscount")
Source = get_model("payment", "Source")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

# A chunk's records and rows are what the export holds at once: 1,000 orders keep its
# peak memory some 10 MB under 2,000's, at no cost in time (the queries per chunk stay
# fixed; 100,000 orders make 100 chunks).
CHUNK_SIZE = 1000

SETTLED = "Settled"
REFUNDED = "Refunded"
# The databases read with one SQL query (shop.accounting.sql); others through the ORM.
SQL_READER_VENDORS = ("postgresql",)


def export_range_bounds(*, date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """Return the instants [start, end) of the days date_from..date_to in Singapore time."""
    start = datetime.combine(date_from, time.min, tzinfo=CLINIC_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=CLINIC_TZ)
    return start, end


def order_export_queryset(*, date_from: date, date_to: date, statuses: tuple[str, ...] = ()):
    """Return the orders placed in the range (SGT days, both included), oldest first."""
    start, end = export_range_bounds(date_from=date_from, date_to=date_to)
    queryset = Order._default_manager.filter(date_placed__gte=start, date_placed__lt=end)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return queryset.order_by("date_placed", "id")


def order_export_count(*, date_from: date, date_to: date, statuses: tuple[str, ...] = ()) -> int:
    """Return how many orders an export of the range would contain."""
    return order_export_queryset(date_from=date_from, date_to=date_to, statuses=statuses).count()


_ORDER_FIELDS = (
    "id",
    "number",
    "date_placed",
    "status",
    "currency",
    "total_incl_tax",
    "total_excl_tax",
    "shipping_incl_tax",
    "shipping_excl_tax",
    "guest_email",
    "user__email",
    "user__first_name",
    "user__last_name",
    "billing_address__first_name",
    "billing_address__last_name",
    "shipping_address__first_name",
    "shipping_address__last_name",
)


def _order_record(row: tuple) -> OrderRecord:
    (
        order_id,
        number,
        placed,
        status,
        currency,
        incl,
        excl,
        ship_incl,
        ship_excl,
        guest_email,
        user_email,
        user_first,
        user_last,
        bill_first,
        bill_last,
        ship_first,
        ship_last,
    ) = row
    name = customer_name((user_first, user_last), (bill_first, bill_last), (ship_first, ship_last))
    return OrderRecord(
        id=order_id,
        number=number,
        placed_at=local(placed),
        status=status,
        currency=currency,
        total_incl_tax=incl,
        total_excl_tax=excl,
        shipping_incl_tax=ship_incl,
        shipping_excl_tax=ship_excl,
        customer_name=name,
        email=user_email or guest_email or "",
        lines=[],
        payment_methods=[],
        payment_references=[],
        source_refunds=[],
    )


def _products_describe(*, product_ids: set[int], cache: dict[int, tuple[str, int | None]]) -> None:
    """Fill `cache` with (item type, sessions) of the products not in it yet.

    A catalogue has few products next to the orders, so the cache makes these
    two queries rare: at most once per chunk, and only for products not seen before.
    """
    missing = product_ids - cache.keys()
    if not missing:
        return
    rows = Product._default_manager.filter(id__in=missing).values_list(
        "id",
        "product_class__slug",
        "product_class__name",
        "parent__product_class__slug",
        "parent__product_class__name",
    )
    sessions = dict(
        ProductAttributeValue._default_manager.filter(
            product_id__in=missing, attribute__code="sessions"
        ).values_list("product_id", "value_integer")
    )
    for product_id, slug, name, parent_slug, parent_name in rows:
        # Child products (a package of 5 sessions) take their class from the parent.
        slug, name = (slug, name) if slug else (parent_slug, parent_name)
        item_type = ITEM_TYPES.get(slug or "", name or "")
        cache[product_id] = (item_type, sessions.get(product_id))
    for product_id in missing - cache.keys():
        cache[product_id] = ("", None)


def _of_orders(queryset, ids: list[int]):
    """Filter `queryset` to rows of the orders `ids` (callers skip rows of other orders).

    Orders placed one after the other mostly have neighbouring ids: then a range
    of ids is much cheaper for the database than a list of a chunk's ids, and
    lets through few rows of orders outside the chunk. Otherwise the list is used.
    """
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return queryset.filter(order_id__gte=low, order_id__lte=high)
    return queryset.filter(order_id__in=ids)


def _chunk_load(
    rows: list[tuple], product_cache: dict[int, tuple[str, int | None]]
) -> list[OrderRecord]:
    """Turn a chunk of order rows into records, with one query per related table."""
    orders = [_order_record(row) for row in rows]
    by_id = {order.id: order for order in orders}
    ids = list(by_id)

    product_ids: set[int] = set()
    for order_id, sku, title, quantity, unit_incl, line_incl, line_excl, before, product_id in (
        _of_orders(Line._default_manager.all(), ids)
        .order_by("order_id", "id")
        .values_list(
            "order_id",
            "partner_sku",
            "title",
            "quantity",
            "unit_price_incl_tax",
            "line_price_incl_tax",
            "line_price_excl_tax",
            "line_price_before_discounts_incl_tax",
            "product_id",
        )
    ):
        order = by_id.get(order_id)
        if order is None:
            continue
        # What the patient saw taken off the line's GST-inclusive price.
        order.discount += before - line_incl
        order.lines.append(
            LineRecord(sku, title, quantity, unit_incl, line_incl, line_excl, product_id)
        )
        if product_id is not None:
            product_ids.add(product_id)

    for order_id, type_name, reference, amount_refunded in (
        _of_orders(Source._default_manager.all(), ids)
        .order_by("order_id", "id")
        .values_list("order_id", "source_type__name", "reference", "amount_refunded")
    ):
        order = by_id.get(order_id)
        if order is None:
            continue
        order.payment_methods.append(type_name)
        if reference:
            order.payment_references.append(reference)
        order.source_refunds.append(amount_refunded)

    for order_id, type_name, created in (
        _of_orders(PaymentEvent._default_manager.all(), ids)
        .filter(event_type__name__in=(SETTLED, REFUNDED))
        .order_by("order_id", "date_created", "id")
        .values_list("order_id", "event_type__name", "date_created")
    ):
        order = by_id.get(order_id)
        if order is None:
            continue
        if type_name == SETTLED:
            if order.paid_at is None:
                order.paid_at = local(created)
        else:
            order.last_refund_at = local(created)

    # Shipping offers lower the order's shipping charge; their discounts are recorded apart.
    for order_id, amount in (
        _of_orders(OrderDiscount._default_manager.all(), ids)
        .filter(category=OrderDiscount.SHIPPING)
        .values("order_id")
        .annotate(total=Sum("amount"))
        .values_list("order_id", "total")
    ):
        if order_id in by_id:
            by_id[order_id].discount += amount

    # The tax documents' numbers: one query per chunk.
    for order_id, numbers in order_document_numbers(order_ids=ids).items():
        by_id[order_id].invoice_number = numbers["invoice"]
        by_id[order_id].credit_note_numbers = numbers["credit_notes"]

    _products_describe(product_ids=product_ids, cache=product_cache)
    for order in orders:
        order.refunded = refunded_amount(source_refunds=order.source_refunds)
        for index, line in enumerate(order.lines):
            if line.product_id is not None:
                item_type, sessions = product_cache[line.product_id]
                order.lines[index] = line._replace(item_type=item_type, sessions=sessions)
    return orders


def order_chunks_export(
    *,
    date_from: date,
    date_to: date,
    statuses: tuple[str, ...] = (),
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[list[OrderRecord]]:
    """Yield the orders of the range, oldest first, as lists of at most `chunk_size` records.

    On PostgreSQL one query reads them all (shop.accounting.sql), a chunk per FETCH;
    elsewhere the orders are read through the ORM, with one query per related table
    per chunk.
    """
    if connections[Order._default_manager.db].vendor in SQL_READER_VENDORS:
        start, end = export_range_bounds(date_from=date_from, date_to=date_to)
        yield from order_chunks_sql(
            start=start, end=end, statuses=statuses, chunk_size=chunk_size,
            settled=SETTLED, refunded=REFUNDED,
        )  # fmt: skip
        return
    rows = (
        order_export_queryset(date_from=date_from, date_to=date_to, statuses=statuses)
        .values_list(*_ORDER_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    product_cache: dict[int, tuple[str, int | None]] = {}
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk_size:
            yield _chunk_load(batch, product_cache)
            batch = []
    if batch:
        yield _chunk_load(batch, product_cache)
