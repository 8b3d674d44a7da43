"""The beat runs the packages' daily tasks by their stable names."""

import datetime

from django.conf import settings
from django.utils import timezone

from shop.core.selectors import CLINIC_TZ
from shop.packages.models import PackageCredit
from shop.packages.tasks import credits_expire_task
from tests.factories import paid_order_create
from worker.celery import app


def test_the_beat_schedule_names_tasks_the_worker_knows():
    app.loader.import_default_modules()
    for entry in ("packages-expire", "packages-reminders"):
        assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks


def test_the_expiry_task_expires_credits_past_their_last_day(catalogue):
    credit = paid_order_create(items=[("TUI-5", 1)]).credits.get()
    yesterday = timezone.localdate(timezone=CLINIC_TZ) - datetime.timedelta(days=1)
    PackageCredit.objects.filter(pk=credit.pk).update(valid_until=yesterday)

    assert credits_expire_task.run() == 1

    credit.refresh_from_db()
    assert credit.status == PackageCredit.Status.EXPIRED
