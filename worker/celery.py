"""The Celery app of the shop, configured from Django's settings (namespace CELERY)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["worker"])
app.autodiscover_tasks(["shop.invoices"])  # shop/invoices/tasks.py: the PDFs of tax documents


def broker_folders_ensure() -> None:
    """Create the folders of the embedded filesystem broker, where it is in use."""
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)
