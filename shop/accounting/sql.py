"""The export's orders read from PostgreSQL with one query: its joins and aggregates in SQL.

One query reads the orders of the range with, per order, its lines (as arrays, in
line order, with each product's item type and sessions), payment sources, first
settlement and last refund, shipping discounts and tax document numbers. It is read
through a server-side cursor, one FETCH per chunk of orders: the database does in one
plan what would otherwise be five or more queries per chunk, and no model instance,
dictionary or per-table lookup is made in Python. The values are those of the ORM
reader of shop.accounting.selectors (which other databases use); the export's tests
compare the two files byte for byte.
"""

from collections.abc import Iterator
from datetime import datetime
from functools import partial
from itertools import groupby
from operator import itemgetter

from django.db import connections
from oscar.core.loading import get_model

from shop.accounting.records import ITEM_TYPES, LineRecord, OrderRecord, name_join
from shop.core.selectors import CLINIC_TZ
from shop.invoices.models import Document, DocumentKind
from shop.payments.selectors import refunded_amount

Order = get_model("order", "Order")
Line = get_model("order", "Line")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
OrderDiscount = get_model("order", "OrderDiscount")
BillingAddress = get_model("order", "BillingAddress")
ShippingAddress = get_model("order", "ShippingAddress")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


def _tables() -> dict[str, str]:
    from django.contrib.auth import get_user_model

    models = {
        "order": Order, "line": Line, "event": PaymentEvent, "event_type": PaymentEventType,
        "discount": OrderDiscount, "billing": BillingAddress, "shipping": ShippingAddress,
        "source": Source, "source_type": SourceType, "product": Product,
        "product_class": ProductClass, "attribute": ProductAttribute,
        "attribute_value": ProductAttributeValue, "document": Document, "user": get_user_model(),
    }  # fmt: skip
    return {key: model._meta.db_table for key, model in models.items()}


# The orders of the range, oldest first, read through a server-side cursor. Times are
# read as the clinic's wall-clock time (AT TIME ZONE: a naive timestamp), which psycopg
# parses in C; Django's loader of aware times is Python, and 200,000 of them cost seconds.
_ORDERS_SQL = """
SELECT o.id, o.number, o.date_placed AT TIME ZONE %(tz)s, o.status, o.currency, o.total_incl_tax,
       o.total_excl_tax, o.shipping_incl_tax, o.shipping_excl_tax, o.guest_email,
       u.email, u.first_name, u.last_name, b.first_name, b.last_name, s.first_name, s.last_name
FROM {order} o
LEFT JOIN {user} u ON u.id = o.user_id
LEFT JOIN {billing} b ON b.id = o.billing_address_id
LEFT JOIN {shipping} s ON s.id = o.shipping_address_id
WHERE o.date_placed >= %(start)s AND o.date_placed < %(end)s {status_filter}
ORDER BY o.date_placed, o.id
"""

# What a chunk of orders shows of its lines, payments and documents, in one query: rows
# tagged by kind (1 line, 2 payment source, 3 payment events, 4 shipping discounts,
# 5 tax documents), flat, in the order of their ids. Orders placed one after the
# other have neighbouring ids: a range of ids ({orders}) is an index range scan; rows
# of orders outside the chunk are skipped by the caller. A line's item type is its
# product's class, or its parent's when it has none (a child product); the chunk's
# products are found from its lines first (MATERIALIZED: else the planner may scan
# every line of each product).
_RELATED_SQL = """
WITH chunk_products AS MATERIALIZED (
    SELECT DISTINCT l.product_id AS id FROM {line} l
    WHERE l.order_id {orders} AND l.product_id IS NOT NULL
), items AS MATERIALIZED (
    SELECT p.id,
           CASE WHEN pc.slug <> '' THEN pc.slug ELSE ppc.slug END AS slug,
           CASE WHEN pc.slug <> '' THEN pc.name ELSE ppc.name END AS name,
           (SELECT max(v.value_integer) FROM {attribute_value} v
            JOIN {attribute} a ON a.id = v.attribute_id
            WHERE v.product_id = p.id AND a.code = 'sessions') AS sessions
    FROM chunk_products cp
    JOIN {product} p ON p.id = cp.id
    LEFT JOIN {product_class} pc ON pc.id = p.product_class_id
    LEFT JOIN {product} pp ON pp.id = p.parent_id
    LEFT JOIN {product_class} ppc ON ppc.id = pp.product_class_id
)
SELECT 1 AS kind, l.order_id, l.id, l.partner_sku, l.title, l.quantity,
       l.unit_price_incl_tax, l.line_price_incl_tax, l.line_price_excl_tax, l.product_id,
       CASE WHEN l.product_id IS NULL THEN '' {item_type_case} END, i.sessions,
       l.line_price_before_discounts_incl_tax - l.line_price_incl_tax,
       NULL::timestamp, NULL::timestamp, NULL::text[]
FROM {line} l LEFT JOIN items i ON i.id = l.product_id
WHERE l.order_id {orders}
UNION ALL
SELECT 2, s.order_id, s.id, t.name, s.reference, NULL, s.amount_refunded, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL
FROM {source} s LEFT JOIN {source_type} t ON t.id = s.source_type_id
WHERE s.order_id {orders}
UNION ALL
SELECT 3, e.order_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       (min(e.date_created) FILTER (WHERE t.name = %(settled)s)) AT TIME ZONE %(tz)s,
       (max(e.date_created) FILTER (WHERE t.name = %(refunded)s)) AT TIME ZONE %(tz)s, NULL
FROM {event} e JOIN {event_type} t ON t.id = e.event_type_id
WHERE e.order_id {orders} AND t.name IN (%(settled)s, %(refunded)s)
GROUP BY e.order_id
UNION ALL
SELECT 4, d.order_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       sum(d.amount), NULL, NULL, NULL
FROM {discount} d
WHERE d.order_id {orders} AND d.category = %(shipping)s
GROUP BY d.order_id
UNION ALL
SELECT 5, d.order_id, NULL,
       (array_agg(d.number ORDER BY d.issued_at DESC, d.id DESC)
           FILTER (WHERE d.kind = %(invoice)s))[1],
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       array_agg(d.number ORDER BY d.issued_at, d.id) FILTER (WHERE d.kind <> %(invoice)s)
FROM {document} d
WHERE d.order_id {orders}
GROUP BY d.order_id
ORDER BY 1, 2, 3
"""


def _orders_query(
    *, start: datetime, end: datetime, statuses: tuple[str, ...]
) -> tuple[str, dict]:
    sql = _ORDERS_SQL.format(
        **_tables(), status_filter="AND o.status = ANY(%(statuses)s)" if statuses else ""
    )
    return sql, {"start": start, "end": end, "statuses": list(statuses), "tz": CLINIC_TZ.key}


def _related_query(*, ids: list[int], settled: str, refunded: str) -> tuple[str, dict]:
    params: dict = {
        "settled": settled, "refunded": refunded, "shipping": OrderDiscount.SHIPPING,
        "invoice": DocumentKind.INVOICE.value, "tz": CLINIC_TZ.key,
    }  # fmt: skip
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        orders = "BETWEEN %(low)s AND %(high)s"
        params.update(low=low, high=high)
    else:
        orders = "= ANY(%(ids)s)"
        params["ids"] = ids
    cases = []
    for index, (slug, label) in enumerate(ITEM_TYPES.items()):
        params[f"slug{index}"], params[f"label{index}"] = slug, label
        cases.append(f"WHEN i.slug = %(slug{index})s THEN %(label{index})s")
    sql = _RELATED_SQL.format(
        **_tables(),
        orders=orders,
        item_type_case=" ".join(cases) + " ELSE coalesce(i.name, '')",
    )
    return sql, params


def _order_record(row: tuple) -> OrderRecord:
    (
        order_id, number, placed, status, currency, incl, excl, ship_incl, ship_excl,
        guest_email, user_email, user_first, user_last, bill_first, bill_last, ship_first,
        ship_last,
    ) = row  # fmt: skip
    # The customer's name as records.customer_name gives it, without its tuples (100,000
    # times), and name_join called only for the names there are (a guest has no account's).
    name = (
        ((user_first or user_last) and name_join(user_first, user_last))
        or ((bill_first or bill_last) and name_join(bill_first, bill_last))
        or ((ship_first or ship_last) and name_join(ship_first, ship_last))
        or ""
    )
    return OrderRecord(
        order_id, number, placed, status, currency, incl, excl, ship_incl, ship_excl, name,
        user_email or guest_email or "",
    )  # fmt: skip


_LINE_FIELDS = itemgetter(slice(3, 12))  # a line's row as a LineRecord's fields


def _chunk_complete(cursor, orders: list[OrderRecord], *, settled: str, refunded: str) -> None:
    """Add to the chunk's orders their lines, payments, discounts and documents (one query).

    The rows come kind by kind, and order by order: an order's lines and payment sources
    are made at once, as tuples.
    """
    by_id = {order.id: order for order in orders}
    sql, params = _related_query(ids=list(by_id), settled=settled, refunded=refunded)
    cursor.execute(sql, params)
    order_of = by_id.get
    line_record = partial(tuple.__new__, LineRecord)  # LineRecord._make, without its checks
    for kind, rows in groupby(cursor.fetchall(), itemgetter(0)):
        if kind == 1:
            for order_id, group in groupby(rows, itemgetter(1)):
                if (order := order_of(order_id)) is not None:
                    lines = list(group)
                    order.lines = tuple(map(line_record, map(_LINE_FIELDS, lines)))
                    # What the patient saw taken off the lines' prices.
                    order.discount = sum(map(itemgetter(12), lines), order.discount)
        elif kind == 2:
            for order_id, group in groupby(rows, itemgetter(1)):
                if (order := order_of(order_id)) is not None:
                    sources = list(group)
                    order.payment_methods = tuple(map(itemgetter(3), sources))
                    order.payment_references = tuple(filter(None, map(itemgetter(4), sources)))
                    order.source_refunds = tuple(map(itemgetter(6), sources))
        elif kind == 3:
            for row in rows:
                if (order := order_of(row[1])) is not None:
                    order.paid_at, order.last_refund_at = row[13], row[14]
        elif kind == 4:
            for row in rows:
                if (order := order_of(row[1])) is not None:
                    order.discount += row[12]  # shipping offers, recorded apart
        else:
            for row in rows:
                if (order := order_of(row[1])) is not None:
                    order.invoice_number = row[3] or ""
                    order.credit_note_numbers = tuple(row[15] or ())
    for order in orders:
        order.refunded = refunded_amount(source_refunds=order.source_refunds)


def order_chunks_sql(
    *,
    start: datetime,
    end: datetime,
    statuses: tuple[str, ...],
    chunk_size: int,
    settled: str,
    refunded: str,
) -> Iterator[list[OrderRecord]]:
    """Yield the orders placed in [start, end), oldest first, `chunk_size` records at a time.

    One query per chunk besides the orders' cursor (one FETCH per chunk).
    """
    sql, params = _orders_query(start=start, end=end, statuses=statuses)
    connection = connections[Order._default_manager.db]
    with connection.chunked_cursor() as orders_cursor, connection.cursor() as cursor:
        orders_cursor.execute(sql, params)
        while rows := orders_cursor.fetchmany(chunk_size):
            orders = [_order_record(row) for row in rows]
            _chunk_complete(cursor, orders, settled=settled, refunded=refunded)
            yield orders
            del orders, rows  # not kept while the next chunk is read
