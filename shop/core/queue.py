"""Publishing Celery tasks from the shop's services, with a broker outage tolerated."""

import logging

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
