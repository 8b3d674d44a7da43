"""The move of earlier exports out of the public media (migration 0003)."""

from datetime import date
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from shop.accounting.models import ExportJob

move = import_module("shop.accounting.migrations.0003_export_files_private")


def test_public_export_files_move_to_the_private_storage(accountant, settings):
    public_name = storages["default"].save(
        "accounting/exports/orders-2026-10-01-to-2026-10-31.xlsx", ContentFile(b"PK old")
    )
    job = ExportJob.objects.create(
        user=accountant,
        date_from=date(2026, 10, 1),
        date_to=date(2026, 10, 31),
        per="order",
        status=ExportJob.Status.DONE,
        file=public_name,
    )

    move.exports_move_to_private(apps, None)

    job.refresh_from_db()
    assert not (Path(settings.MEDIA_ROOT) / public_name).exists()
    assert job.file.name != public_name and job.file.name.endswith(Path(public_name).name)
    assert (Path(settings.PRIVATE_ROOT) / job.file.name).read_bytes() == b"PK old"
