"""Sign-ins locked out now (django-axes' records), for the dashboard's Locked sign-ins."""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone


def lockouts_current() -> QuerySet[AccessAttempt]:
    """Return the account and address pairs locked out now, the latest attempt first.

    Locked: AXES_FAILURE_LIMIT failures or more, the last within the cool-off (AXES_COOLOFF_TIME);
    older records lock nothing any more and axes clears them at the next attempt.
    """
    since = timezone.now() - get_cool_off()
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
