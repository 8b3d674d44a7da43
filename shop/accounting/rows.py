"""The rows of the accountants' export, generated from the selectors' order records.

Amounts come from the database as Decimal and stay Decimal. The GST of an order
is total incl. GST - total excl. GST (Oscar's fields). In the per-line export
the order's goods total and goods GST are shared between its lines in whole
cents by the largest-remainder method, and shipping is a line of its own, so
the lines of an order add up exactly to the order's total and GST.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import chain

from shop.accounting.columns import LINE_PART_COLUMNS, ORDER_COLUMNS, ExportTotals, row_getter
from shop.accounting.models import ExportFormat, ExportPer
from shop.accounting.records import OrderRecord
from shop.accounting.selectors import CHUNK_SIZE, order_chunks_export
from shop.core.money import from_cents, to_cents

# The same amounts recur in their thousands (a catalogue's prices and their GST): each
# is converted once, to cents and back. Decimals are immutable: sharing them is safe;
# equal amounts have the same cents.
_amount = lru_cache(maxsize=1 << 16)(from_cents)
_cents = lru_cache(maxsize=1 << 16)(to_cents)

SHIPPING_ITEM_TYPE = "Shipping"


@dataclass(frozen=True)
class ExportSpec:
    """What to export: SGT days date_from..date_to (both included), statuses, layout, format."""

    date_from: date
    date_to: date
    per: str = ExportPer.ORDER
    format: str = ExportFormat.CSV
    statuses: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        kind = "order-lines" if self.per == ExportPer.LINE else "orders"
        return f"{kind}-{self.date_from.isoformat()}-to-{self.date_to.isoformat()}.{self.format}"


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to make, 300,000 times
class LineRow:
    """A line of the per-line export, its amounts allocated to the cent."""

    number: int
    sku: str
    title: str
    item_type: str
    sessions: int | None
    quantity: int
    unit_price_incl_gst: Decimal | None
    incl_gst: Decimal
    gst: Decimal
    excl_gst: Decimal


def cents_allocate(*, total: int, weights: Sequence[int]) -> list[int]:
    """Share `total` cents in proportion to `weights`, exactly, by the largest remainder.

    Each share is first rounded down; the cents left over go one each to the
    shares with the largest remainders (ties: the earlier share). Equal weights
    are used when all weights are zero.
    """
    count = len(weights)
    if not count:
        return []
    if total >= 0 and sum(weights) == total and min(weights) >= 0:
        return list(weights)  # the usual case, done in C: it adds up already, nothing to round
    sign = -1 if total < 0 else 1
    amount = abs(total)
    parts = [abs(weight) for weight in weights]
    whole = sum(parts)
    if not whole:
        parts, whole = [1] * count, count
    elif whole == amount:
        return [sign * part for part in parts]  # already adds up: nothing to round
    shares = [amount * part // whole for part in parts]
    remainders = [amount * part % whole for part in parts]
    left = amount - sum(shares)
    for index in sorted(range(count), key=lambda i: (-remainders[i], i))[:left]:
        shares[index] += 1
    return [sign * share for share in shares]


_order_values = row_getter(ORDER_COLUMNS)
_line_values = row_getter(LINE_PART_COLUMNS, mutable=False)


def order_row(*, order: OrderRecord) -> list:
    """Return the order's values in the order of ORDER_COLUMNS."""
    return _order_values(order)


def order_lines(*, order: OrderRecord) -> list[LineRow]:
    """Return the lines of the order as the per-line export shows them.

    The goods total (total - shipping) and goods GST (GST - shipping GST) are
    allocated to the lines in proportion to their recorded line prices (after
    discounts) and line GST, so every cent of the order is accounted for even
    where the recorded lines were rounded differently from the order.
    Shipping, where charged, is a last line of its own.
    """
    shipping_gst = order.shipping_incl_tax - order.shipping_excl_tax
    goods_incl = order.total_incl_tax - order.shipping_incl_tax
    goods_gst = (order.total_incl_tax - order.total_excl_tax) - shipping_gst
    weights = [_cents(line.line_price_incl_tax) for line in order.lines]
    incl_cents = cents_allocate(total=_cents(goods_incl), weights=weights)
    # The GST Oscar recorded on each line leads; only the rounding cents move.
    tax_weights = [
        _cents(line.line_price_incl_tax - line.line_price_excl_tax) for line in order.lines
    ]
    gst_cents = cents_allocate(
        total=_cents(goods_gst), weights=tax_weights if any(tax_weights) else incl_cents
    )
    rows = [
        LineRow(
            number,
            line.sku,
            line.title,
            line.item_type,
            line.sessions,
            line.quantity,
            line.unit_price_incl_tax,
            _amount(incl),
            _amount(gst),
            _amount(incl - gst),
        )  # fmt: skip
        for number, (line, incl, gst) in enumerate(
            zip(order.lines, incl_cents, gst_cents, strict=True), start=1
        )
    ]
    if order.shipping_incl_tax or order.shipping_excl_tax:
        rows.append(
            LineRow(
                number=len(order.lines) + 1,
                sku="",
                title="Shipping",
                item_type=SHIPPING_ITEM_TYPE,
                sessions=None,
                quantity=1,
                unit_price_incl_gst=order.shipping_incl_tax,
                incl_gst=order.shipping_incl_tax,
                gst=shipping_gst,
                excl_gst=order.shipping_excl_tax,
            )
        )
    return rows


def line_part(*, line: LineRow) -> tuple:
    """Return the line's values in the order of LINE_PART_COLUMNS."""
    return _line_values(line)


@dataclass(slots=True)
class ExportChunk:
    """A chunk of orders' values: each order's (ORDER_COLUMNS), and each of its lines' parts.

    In the per-line layout an order's row is its values followed by a line's part, once
    per line; `parts` is None in the per-order layout.
    """

    bases: list[list]
    parts: list[tuple[tuple, ...]] | None

    @property
    def rows(self) -> list[list]:
        """Return the rows of the chunk as the export's columns give them."""
        if self.parts is None:
            return self.bases
        return [
            [*base, *part]
            for base, order_parts in zip(self.bases, self.parts, strict=True)
            for part in order_parts
        ]


def export_chunks(
    *,
    spec: ExportSpec,
    totals: ExportTotals,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[ExportChunk]:
    """Yield the export's values chunk by chunk, adding them up into `totals`.

    An order's values are made once, also when they repeat on each of its lines: a
    file format converts them once (the CSV writes them once per order, too).
    """
    per_line = spec.per == ExportPer.LINE
    for chunk in order_chunks_export(
        date_from=spec.date_from,
        date_to=spec.date_to,
        statuses=spec.statuses,
        chunk_size=chunk_size,
    ):
        # Added up a chunk at a time, before the file's format changes any value.
        bases = [_order_values(order) for order in chunk]
        totals.orders_add(bases)
        parts = None
        if per_line:
            parts = [tuple(map(_line_values, order_lines(order=o))) for o in chunk]
            flat = list(chain.from_iterable(parts))
            totals.lines_add(flat)
            totals.rows += len(flat)
            del flat
        else:
            totals.rows += len(bases)
        count = len(chunk)
        del chunk  # the records go once their values are made, not with the next chunk
        if on_chunk:
            on_chunk(count)
        yield ExportChunk(bases, parts)
        del bases, parts


def export_rows(
    *,
    spec: ExportSpec,
    totals: ExportTotals,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[list[list]]:
    """Yield the rows of the export chunk by chunk, adding them up into `totals`."""
    for chunk in export_chunks(spec=spec, totals=totals, chunk_size=chunk_size, on_chunk=on_chunk):
        yield chunk.rows
