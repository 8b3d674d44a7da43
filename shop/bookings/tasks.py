"""Celery tasks of the bookings: thin, they call a service."""

from celery import shared_task


@shared_task(name="shop.bookings.tasks.booking_reminders_task", ignore_result=True)
def booking_reminders_task() -> int:
    """Send the reminders of bookings due within BOOKING_REMINDER_HOURS, once each."""
    from shop.bookings.services import booking_reminders_send

    return booking_reminders_send()
