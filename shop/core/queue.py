"""Publishing Celery tasks from the shop's services, with a broker outage tolerated."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def task_publish(*, task, args: list, what: str) -> bool:
    """Publish `task` with `args`; on a broker outage log it and return False.

    Never raises: a page must not break because the broker is down. Publishing
    gives up after a short timeout and a few quick retries (settings
    CELERY_BROKER_CONNECTION_TIMEOUT and CELERY_TASK_PUBLISH_RETRY_POLICY), and
    a periodic sweep publishes `what` again later.
    """
    try:
        task.apply_async(args=args, retry=True)
    except Exception:
        logger.warning(
            "Could not enqueue %s (broker unavailable); the sweep will send it",
            what,
            exc_info=True,
        )
        return False
    return True


def after_commit(func, /, **kwargs) -> None:
    """Call `func(**kwargs)` once the current transaction commits; an error is logged, not raised.

    Django's robust on_commit names the failed callable by its `__qualname__`, which a
    `functools.partial` lacks (the logging itself would then raise, after the commit).
    """

    def call():
        return func(**kwargs)

    call.__qualname__ = getattr(func, "__qualname__", repr(func))
    transaction.on_commit(call, robust=True)
