"""The records the export reads: an order with what it shows of its lines and payments.

Both readers of shop.accounting.selectors (one SQL query on PostgreSQL, chunked ORM
reads elsewhere) make these; the columns (shop.accounting.columns) take their values
from them. Their times are the clinic's wall-clock times (naive, as the files show
them): the SQL reader has PostgreSQL convert them, the ORM reader `local`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from shop.catalogue.selectors import PRODUCT_CLASS, TREATMENT_CLASS
from shop.core.selectors import CLINIC_TZ

# The item type of a line, by its product's class (a child product: its parent's class).
ITEM_TYPES = {TREATMENT_CLASS: "Treatment package", PRODUCT_CLASS: "Wellness product"}


class LineRecord(NamedTuple):
    """An order line as the export needs it.

    A tuple: a large export reads hundreds of thousands, which the SQL reader makes
    in C from the rows it reads (a dataclass runs its Python __init__ for each).
    """

    sku: str
    title: str
    quantity: int
    unit_price_incl_tax: Decimal | None
    line_price_incl_tax: Decimal
    line_price_excl_tax: Decimal
    product_id: int | None
    item_type: str = ""
    sessions: int | None = None


@dataclass(slots=True)
class OrderRecord:
    """An order with what the export shows of its lines, payment, refunds and discounts.

    Its sequences are tuples where the SQL reader makes them, an order's at once (a
    tuple of plain values is no longer tracked by the garbage collector once it has
    seen it, so the full collections do not scan it again); lists where the ORM reader
    adds to them.
    """

    id: int
    number: str
    placed_at: datetime  # SGT wall-clock times, naive (see `local`)
    status: str
    currency: str
    total_incl_tax: Decimal
    total_excl_tax: Decimal
    shipping_incl_tax: Decimal
    shipping_excl_tax: Decimal
    customer_name: str
    email: str
    lines: Sequence[LineRecord] = ()
    payment_methods: Sequence[str] = ()
    payment_references: Sequence[str] = ()
    source_refunds: Sequence[Decimal] = ()
    paid_at: datetime | None = None
    refunded: Decimal = Decimal("0.00")
    last_refund_at: datetime | None = None
    discount: Decimal = Decimal("0.00")
    invoice_number: str = ""
    credit_note_numbers: Sequence[str] = ()


def local(moment: datetime | None) -> datetime | None:
    """Return an instant as a naive Singapore wall-clock time (what the files show)."""
    return moment.astimezone(CLINIC_TZ).replace(tzinfo=None) if moment else None


def name_join(first: str | None, last: str | None) -> str:
    """Return a first and a last name as one (either may be missing)."""
    if first and last:
        return f"{first} {last}".strip()
    return (first or last or "").strip()


def customer_name(
    user: tuple[str | None, str | None],
    billing: tuple[str | None, str | None],
    shipping: tuple[str | None, str | None],
) -> str:
    """Return the customer's name: the account's, else the billing, else the shipping address's.

    A guest has no account name: the billing, then the shipping address names them.
    """
    return name_join(*user) or name_join(*billing) or name_join(*shipping)
