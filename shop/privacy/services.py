"""The patient's data: the download of everything held, and the deletion of the account."""

from django.db import transaction
from django.utils import timezone

from shop.privacy.models import DeletionRequest
from shop.privacy.registry import data_erasers, data_sections


def data_export(*, user) -> dict:
    """Return everything the shop holds about the patient, by section (JSON-ready)."""
    return {
        "generated_at": timezone.now().isoformat(),
        **{name: reader(user=user) for name, reader in sorted(data_sections().items())},
    }


def deletion_request_create(*, user) -> DeletionRequest:
    """Record the patient's request to delete the account (once: a pending one is reused)."""
    pending = DeletionRequest.objects.filter(user=user, status=DeletionRequest.Status.PENDING)
    return pending.first() or DeletionRequest.objects.create(user=user)


@transaction.atomic
def deletion_request_carry_out(*, request_id: int, staff) -> DeletionRequest:
    """Delete the account of a pending request: erase every section, then the user.

    Orders are anonymised, not deleted (amounts kept for the accounts); addresses and
    copies of emails go; the request stays, with counts only, as the record it was done.
    """
    request = DeletionRequest.objects.select_for_update().get(pk=request_id)
    if request.status == DeletionRequest.Status.DONE or request.user is None:
        return request
    user = request.user
    summary: dict = {}
    for _name, eraser in sorted(data_erasers().items()):
        summary.update(eraser(user=user))
    request.status = DeletionRequest.Status.DONE
    request.done_at = timezone.now()
    request.done_by = staff
    request.summary = summary
    request.user = None
    request.save()
    user.delete()
    return request
