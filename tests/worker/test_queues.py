"""The worker's queues: an order's invoice PDF waits on a queue of its own, apart from its
emails (one task for the patient's and the clinic's), and the worker takes both, the emails
first (each confirmation renders the PDF it attaches; the render task then finds it made)."""

import json
from collections import Counter

import pytest
import redis
from django.conf import settings

from shop.invoices.models import DocumentKind
from tests.fixtures.notifications import confirmations_settled

RENDER = "shop.invoices.document_render"
SEND = "worker.tasks.confirmation_send_task"


def _queued(client: redis.Redis, queue: str) -> Counter:
    """Return the names of the tasks waiting in a queue of the Redis broker."""
    return Counter(json.loads(item)["headers"]["task"] for item in client.lrange(queue, 0, -1))


@pytest.mark.django_db(transaction=True)
def test_the_pdf_waits_on_its_own_queue_and_the_worker_sends_it_with_the_confirmation(
    place_paid_order, start_worker, smtp_server
):
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    default, documents = settings.CELERY_TASK_DEFAULT_QUEUE, settings.CELERY_DOCUMENTS_QUEUE
    client.delete(default, documents)

    order = place_paid_order(skus={"TUI-5": 1}, guest_email="tan@example.com")

    # No worker yet: the invoice's PDF is queued apart from the patient's and clinic's emails.
    assert _queued(client, documents) == Counter({RENDER: 1})
    assert _queued(client, default)[SEND] == 1  # the confirmation and the clinic's copy
    assert _queued(client, default)[RENDER] == 0

    start_worker()  # as the Procfile's: no queue named, it takes every queue of the shop
    rows = confirmations_settled(order)
    assert {row.status for row in rows} == {"sent"}, [row.last_error for row in rows]
    invoice = order.documents.get(kind=DocumentKind.INVOICE)
    assert invoice.pdf and invoice.sha256
    (to_patient,) = smtp_server.to("tan@example.com")
    attached = [part.get_filename() for part in to_patient.iter_attachments()]
    assert attached == [f"{invoice.number}.pdf"]
    assert client.llen(default) == 0 and client.llen(documents) == 0
