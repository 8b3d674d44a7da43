"""Celery tasks of the analytics: thin, they call a service."""

from celery import shared_task


@shared_task(name="shop.analytics.tasks.product_views_flush_task", ignore_result=True)
def product_views_flush_task() -> int:
    """Add the product views counted in Redis to Oscar's analytics rows."""
    from shop.analytics.services import product_views_flush

    return product_views_flush()
