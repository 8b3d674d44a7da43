"""Writes of the tax documents: numbers, invoices, credit notes, their PDFs.

Numbers are allocated under a row lock on the sequence, inside the transaction
that records the payment or the refund: a transaction that rolls back gives its
number back, so the numbers have no gaps and no repeats. The PDF is rendered
after commit by the worker (or on demand) from the frozen snapshot, once.
"""

import hashlib
import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop.core.money import gst_part
from shop.core.queue import task_publish
from shop.invoices import selectors
from shop.invoices.models import Document, DocumentKind, DocumentSequence
from shop.invoices.rendering import document_render
from shop.invoices.tasks.render import document_render_task

logger = logging.getLogger("shop.invoices")

Order = get_model("order", "Order")

ZERO = Decimal("0.00")


def _number_format(*, kind: str) -> tuple[str, int]:
    if kind == DocumentKind.INVOICE:
        return settings.SHOP_INVOICE_PREFIX, settings.SHOP_INVOICE_NUMBER_START
    return settings.SHOP_CREDIT_NOTE_PREFIX, settings.SHOP_CREDIT_NOTE_NUMBER_START


def document_number_allocate(*, kind: str, issued_at) -> str:
    """Return the next number of `kind`, e.g. INV-2026-000001, locked until commit.

    A prefix naming `{year}` starts a sequence of its own each (Singapore) year.
    Must run inside the transaction that records what the document is for.
    """
    template, start = _number_format(kind=kind)
    prefix = template.format(year=selectors.local_date(issued_at).year)
    # Two first numbers of a year at once: one insert wins, the other waits on its lock.
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(kind=kind, prefix=prefix, last_number=start - 1)],
        ignore_conflicts=True,
    )
    sequence = DocumentSequence.objects.select_for_update().get(kind=kind, prefix=prefix)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{prefix}{sequence.last_number:0{settings.SHOP_DOCUMENT_NUMBER_DIGITS}d}"


def _render_after_commit(document: Document) -> None:
    transaction.on_commit(
        lambda: task_publish(
            task=document_render_task,
            args=[document.pk],
            what=f"the PDF of {document.number}",
        )
    )


def invoice_issue(*, order) -> Document:
    """Issue the order's tax invoice (a receipt when not GST-registered), once.

    Runs in the transaction that records the payment; the PDF follows after commit.
    """
    with transaction.atomic():
        # The order's row lock: the payment's receiver and the command never both issue.
        # NO KEY UPDATE: a worker's row pointing at the order (the email's CommunicationEvent,
        # written while it holds the invoice's row) is not stopped by it; FOR UPDATE made a
        # deadlock with a refund waiting here for that invoice's row.
        Order.objects.select_for_update(no_key=True).filter(pk=order.pk).first()
        existing = selectors.order_invoice(order=order)
        if existing is not None:
            return existing
        issued_at = timezone.now()
        number = document_number_allocate(kind=DocumentKind.INVOICE, issued_at=issued_at)
        snapshot = selectors.order_invoice_snapshot(
            order=order, number=number, issued_at=issued_at
        )
        document = Document.objects.create(
            kind=DocumentKind.INVOICE,
            number=number,
            issued_at=issued_at,
            order=order,
            gst_registered=snapshot["gst_registered"],
            total_incl_gst=Decimal(snapshot["totals"]["incl_gst"]),
            gst=Decimal(snapshot["totals"]["gst"]),
            snapshot=snapshot,
        )
        _render_after_commit(document)
    logger.info("Issued %s for order %s", number, order.number)
    return document


def _credit_gst(*, invoice: Document, amount: Decimal) -> Decimal:
    """Return the GST part of a refund; the refund that completes the order's takes the rest.

    So the credit notes of a fully refunded order give back exactly the invoice's GST.
    """
    if not invoice.gst_registered:
        return ZERO
    earlier = invoice.credit_notes.all()
    refunded = sum((note.total_incl_gst for note in earlier), ZERO) + amount
    if refunded >= invoice.total_incl_gst:
        return invoice.gst - sum((note.gst for note in earlier), ZERO)
    return gst_part(amount, rate=Decimal(invoice.snapshot["gst_rate"]))


def credit_note_issue(*, order, amount: Decimal, reference: str) -> Document:
    """Issue the credit note of one refund of the order, once per refund reference.

    Runs in the transaction that records the refund. An order without an invoice
    (placed before invoices existed) gets its invoice first.
    """
    with transaction.atomic():
        invoice = invoice_issue(order=order)
        # The invoice's row lock lines up the credit notes of one order (and their GST).
        invoice = Document.objects.select_for_update().get(pk=invoice.pk)
        existing = invoice.credit_notes.filter(refund_reference=reference).first()
        if existing is not None:
            return existing
        issued_at = timezone.now()
        number = document_number_allocate(kind=DocumentKind.CREDIT_NOTE, issued_at=issued_at)
        gst = _credit_gst(invoice=invoice, amount=amount)
        snapshot = _credit_snapshot(
            invoice=invoice, number=number, issued_at=issued_at, amount=amount, gst=gst
        )
        snapshot["refund"] = {"reference": reference, "amount": selectors.money(amount)}
        document = Document.objects.create(
            kind=DocumentKind.CREDIT_NOTE,
            number=number,
            issued_at=issued_at,
            order=order,
            corrects=invoice,
            refund_reference=reference,
            refund_amount=amount,
            gst_registered=invoice.gst_registered,
            total_incl_gst=amount,
            gst=gst,
            snapshot=snapshot,
        )
        _render_after_commit(document)
    logger.info("Issued %s for a refund of order %s", number, order.number)
    return document


def _credit_snapshot(*, invoice: Document, number: str, issued_at, amount, gst) -> dict:
    original = invoice.snapshot
    full = amount == invoice.total_incl_gst and not invoice.credit_notes.exists()
    if full:
        # The whole order is refunded at once: the credit note names every line.
        lines = original["lines"]
    else:
        lines = [
            {
                "kind": "refund",
                "sku": "",
                "description": f"Refund on invoice {original['number']} "
                f"(order {original['order']['number']})",
                "details": [],
                "quantity": 1,
                "unit_price_incl_gst": selectors.money(amount),
                "discount": "0.00",
                "excl_gst": selectors.money(amount - gst),
                "gst": selectors.money(gst),
                "incl_gst": selectors.money(amount),
            }
        ]
    registered = invoice.gst_registered
    return {
        **{key: original[key] for key in ("gst_registered", "gst_rate", "currency", "order")},
        "kind": DocumentKind.CREDIT_NOTE,
        "title": "Credit Note",
        "number": number,
        "date": selectors.local_date(issued_at).isoformat(),
        "clinic": selectors.clinic_snapshot(registered=registered),
        "customer": original["customer"],
        "payment_reference": original.get("payment_reference", ""),
        "corrects": {"number": original["number"], "date": original["date"]},
        "lines": lines,
        "discounts": [],
        "totals": {
            "excl_gst": selectors.money(amount - gst),
            "gst": selectors.money(gst),
            "incl_gst": selectors.money(amount),
        },
    }


def document_pdf(*, document: Document) -> bytes:
    """Return the stored PDF of the document (rendering it first if it never was)."""
    if not document.pdf:
        document = document_render(document_id=document.pk)
    with document.pdf.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise DocumentTampered(document.number)
    return content


class DocumentTampered(Exception):
    """The stored PDF no longer matches its checksum."""


def documents_issue_missing() -> list[Document]:
    """Issue what is missing: invoices of paid orders (oldest order first), then the
    credit notes of recorded refunds (oldest refund first). Return what was issued."""
    issued = []
    for order in selectors.orders_without_invoice().iterator():
        issued.append(invoice_issue(order=order))
    for order, amount, reference in selectors.refunds_without_credit_note():
        issued.append(credit_note_issue(order=order, amount=amount, reference=reference))
    return issued


def documents_render_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Publish again the rendering of documents still without a PDF (the broker was down)."""
    stale = Document.objects.filter(pdf="", issued_at__lt=timezone.now() - older_than)
    published = 0
    for document_id, number in stale.values_list("pk", "number"):
        published += task_publish(
            task=document_render_task, args=[document_id], what=f"the PDF of {number}"
        )
    return published


def document_attachment(*, document: Document | None) -> tuple[str, bytes, str] | None:
    """Return (filename, PDF, mimetype) of a document to attach to an email, or None."""
    if document is None:
        return None
    return document.filename, document_pdf(document=document), "application/pdf"


def order_invoice_attachment(*, order) -> tuple[str, bytes, str] | None:
    """Return the order's invoice as an email attachment, or None if it has none."""
    return document_attachment(document=selectors.order_invoice(order=order))


def refund_credit_note_attachment(*, order, reference: str) -> tuple[str, bytes, str] | None:
    """Return the credit note of one refund of the order as an email attachment, or None."""
    return document_attachment(
        document=selectors.refund_credit_note(order=order, reference=reference)
    )
