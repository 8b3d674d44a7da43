"""The columns of the accountants' export, each declared once, and the export's totals.

A column says its key, header, type (kind), width in the XLSX file, where its
value comes from, and how it totals: summed (SUM), its distinct values listed
(DISTINCT), a fixed text in the totals row, or nothing. The rows, the totals
row of the CSV, the XLSX sheets and the totals of the monthly email all follow
from these declarations (as Oscar's order/reports.py keeps the generator apart
from the formatter).

Order columns take their value from an `OrderRecord` (shop.accounting.selectors);
line columns from a `LineRow` (shop.accounting.rows). In the per-line layout
the order columns repeat on each line, but order amounts are summed once per
order.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import add, attrgetter, itemgetter

from shop.accounting.models import ExportPer
from shop.core.money import order_gst

MONEY, INT, DATETIME, TEXT, DATE = "money", "int", "datetime", "text", "date"
SUM, DISTINCT = "sum", "distinct"
ZERO = Decimal("0.00")
_quantity = attrgetter("quantity")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the export: what it shows, and how it adds up in the totals."""

    key: str
    header: str
    kind: str
    value: Callable[[object], object]
    width: int = 14
    total: str = ""  # SUM, DISTINCT or "" (nothing)
    total_text: Callable[["ExportTotals"], str] | None = None  # fixed text in the totals row
    total_label: str = ""  # label in the totals sheet and emails, when not the header

    @property
    def label(self) -> str:
        return self.total_label or self.header


ORDER_COLUMNS: tuple[Column, ...] = (
    Column("order_number", "Order number", TEXT, attrgetter("number"), 14,
           total_text=lambda totals: "TOTAL"),
    Column("placed_at", "Placed at (SGT)", DATETIME, attrgetter("placed_at"), 20),
    Column("paid_at", "Paid at (SGT)", DATETIME, attrgetter("paid_at"), 20),
    Column("status", "Status", TEXT, attrgetter("status"), 18,
           total_text=lambda totals: f"{totals.orders} orders"),
    Column("customer_name", "Customer name", TEXT, attrgetter("customer_name"), 24),
    Column("email", "Email", TEXT, attrgetter("email"), 28),
    Column("item_count", "Item count", INT, lambda o: sum(map(_quantity, o.lines)), 10,
           total=SUM, total_label="Items"),
    Column("subtotal_excl_gst", "Subtotal excl. GST", MONEY, attrgetter("total_excl_tax"),
           total=SUM),
    Column("gst", "GST", MONEY, lambda o: order_gst(order=o), total=SUM),
    Column("total_incl_gst", "Total incl. GST", MONEY, attrgetter("total_incl_tax"), total=SUM),
    Column("discount", "Discount", MONEY, attrgetter("discount"), total=SUM),
    Column("shipping_incl_gst", "Shipping incl. GST", MONEY, attrgetter("shipping_incl_tax"),
           total=SUM),
    Column("currency", "Currency", TEXT, attrgetter("currency"), 9, total=DISTINCT),
    Column("payment_method", "Payment method", TEXT, lambda o: "; ".join(o.payment_methods)),
    Column("payment_intent", "Stripe PaymentIntent id", TEXT,
           lambda o: "; ".join(o.payment_references), 30),
    Column("refunded", "Refunded amount", MONEY, attrgetter("refunded"), total=SUM),
    Column("last_refund_at", "Last refund date (SGT)", DATETIME, attrgetter("last_refund_at"), 20),
    Column("net_received", "Net received", MONEY, lambda o: o.total_incl_tax - o.refunded,
           total=SUM),
    Column("invoice_number", "Tax invoice number", TEXT, attrgetter("invoice_number"), 18),
    Column("credit_note_numbers", "Credit note numbers", TEXT,
           lambda o: "; ".join(o.credit_note_numbers), 22),
)  # fmt: skip
LINE_PART_COLUMNS: tuple[Column, ...] = (
    Column("line_number", "Line number", INT, attrgetter("number"), 8),
    Column("sku", "SKU", TEXT, attrgetter("sku"), 12),
    Column("product_title", "Product title", TEXT, attrgetter("title"), 40),
    Column("item_type", "Item type", TEXT, attrgetter("item_type"), 18),
    Column("sessions", "Sessions", INT, attrgetter("sessions"), 9),
    Column("quantity", "Quantity", INT, attrgetter("quantity"), 9, total=SUM),
    Column("unit_price_incl_gst", "Unit price incl. GST", MONEY,
           attrgetter("unit_price_incl_gst")),
    Column("line_total_incl_gst", "Line total incl. GST", MONEY, attrgetter("incl_gst"),
           total=SUM),
    Column("line_gst", "Line GST", MONEY, attrgetter("gst"), total=SUM),
    Column("line_excl_gst", "Line excl. GST", MONEY, attrgetter("excl_gst"), total=SUM),
)  # fmt: skip
LINE_COLUMNS: tuple[Column, ...] = ORDER_COLUMNS + LINE_PART_COLUMNS


def row_getter(
    columns: Sequence[Column], *, mutable: bool = True
) -> Callable[[object], list | tuple]:
    """Return a function giving a record's values in the order of `columns`, made once.

    The values read straight from an attribute (`attrgetter`) are read in one call of
    one `attrgetter` of all of them; the others are called and put in their places.
    With `mutable=False` the values may come as a tuple: made in C, and no longer
    tracked by the garbage collector once it has seen them (hundreds of thousands of
    lines: as lists, they made the full collections scan them again and again).
    """
    plain: list[str] = []
    computed: list[tuple[int, Callable[[object], object]]] = []
    for index, column in enumerate(columns):
        value = column.value
        names = value.__reduce__()[1] if isinstance(value, attrgetter) else ()
        if len(names) == 1 and "." not in names[0]:
            plain.append(names[0])
        else:
            computed.append((index, value))
    if not plain:
        return lambda record: [value(record) for _, value in computed]
    read = attrgetter(*plain) if len(plain) > 1 else lambda record: (getattr(record, plain[0]),)
    if not computed:
        return read if not mutable else lambda record: list(read(record))

    def row(record) -> list:
        values = list(read(record))
        for index, value in computed:  # ascending: each lands at its column's index
            values.insert(index, value(record))
        return values

    return row


def export_columns(*, per: str) -> tuple[Column, ...]:
    """Return the columns of an export with one row per order or per line."""
    return LINE_COLUMNS if per == ExportPer.LINE else ORDER_COLUMNS


class ExportTotals:
    """The totals of an export, kept per column as the columns declare.

    `totals.gst`, `totals.refunded`... read the total of the column of that key.
    """

    def __init__(self) -> None:
        self.orders = 0
        self.rows = 0
        self._order = _Sums(ORDER_COLUMNS)
        self._line = _Sums(LINE_PART_COLUMNS)

    @property
    def values(self) -> dict[str, object]:
        """Return the total of each column that totals, by key."""
        return {**self._order.values(), **self._line.values()}

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def order_add(self, row: Sequence) -> None:
        """Add up an order's row (ORDER_COLUMNS), counting the order once."""
        self.orders += 1
        self._order.add(row)

    def line_add(self, part: Sequence) -> None:
        """Add up the line part of a per-line row (LINE_PART_COLUMNS)."""
        self._line.add(part)

    def orders_add(self, rows: Sequence[Sequence]) -> None:
        """Add up orders' rows (ORDER_COLUMNS), counting each order once."""
        self.orders += len(rows)
        self._order.add_many(rows)

    def lines_add(self, parts: Sequence[Sequence]) -> None:
        """Add up the line parts of per-line rows (LINE_PART_COLUMNS)."""
        self._line.add_many(parts)

    def cell(self, column: Column):
        """Return the value of `column` in the totals row."""
        if column.total_text:
            return column.total_text(self)
        if column.total == DISTINCT:
            return ", ".join(sorted(self.values[column.key]))
        if column.total == SUM:
            return self.values[column.key]
        return None

    def as_row(self, columns: Sequence[Column]) -> list:
        """Return the totals as a last row aligned with `columns`."""
        return [self.cell(column) for column in columns]

    def as_pairs(self, *, per: str) -> list[tuple[str, object, str]]:
        """Return (label, value, kind) of each summed total, for the totals sheet and emails."""
        pairs: list[tuple[str, object, str]] = [
            ("Orders", self.orders, INT),
            ("Rows", self.rows, INT),
        ]
        pairs += [
            (column.label, self.values[column.key], column.kind)
            for column in export_columns(per=per)
            if column.total == SUM
        ]
        return pairs

    def distinct_pairs(self, *, per: str) -> list[tuple[str, str]]:
        """Return (label, listed values) of each column whose distinct values are listed."""
        return [
            (column.label, self.cell(column))
            for column in export_columns(per=per)
            if column.total == DISTINCT
        ]


class _Sums:
    """The running totals of some columns, added up a row at a time.

    Hundreds of thousands of rows are added: the sums are one list, added to
    the row's summed values in one `map`, rather than key by key; or a chunk's
    rows at once, column by column (`sum` over the column: the adding is done in C).
    Amounts are Decimal: the order in which they are added does not change a total.
    """

    def __init__(self, columns: Sequence[Column]) -> None:
        summed = [(i, c) for i, c in enumerate(columns) if c.total == SUM]
        self.keys = [column.key for _, column in summed]
        self.sums = [ZERO if column.kind == MONEY else 0 for _, column in summed]
        self.indexes = [index for index, _ in summed]
        self.pick = _picker(self.indexes)
        self.distinct = {
            index: (column.key, set())
            for index, column in enumerate(columns)
            if column.total == DISTINCT
        }

    def add(self, row: Sequence) -> None:
        self.sums = list(map(add, self.sums, self.pick(row)))
        for index, (_, seen) in self.distinct.items():
            seen.add(row[index])

    def add_many(self, rows: Sequence[Sequence]) -> None:
        self.sums = [
            sum(map(itemgetter(index), rows), start)
            for index, start in zip(self.indexes, self.sums, strict=True)
        ]
        for index, (_, seen) in self.distinct.items():
            seen.update(map(itemgetter(index), rows))

    def values(self) -> dict[str, object]:
        return {**dict(zip(self.keys, self.sums, strict=True)), **dict(self.distinct.values())}


def _picker(indexes: list[int]) -> Callable[[Sequence], tuple]:
    """Return a function giving the values at `indexes` of a row, as a tuple."""
    if not indexes:
        return lambda row: ()
    if len(indexes) == 1:
        return lambda row: (row[indexes[0]],)
    return itemgetter(*indexes)
