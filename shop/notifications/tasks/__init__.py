"""Celery tasks of the outbox, found by the worker's `autodiscover_tasks()`.

The names are the ones the tasks had in the former `worker/tasks.py`, so a task
queued or scheduled under them before a deploy still runs. The sending tasks and
the sweep are two modules: services publish the sending tasks (importing them),
the sweep runs a service that publishes, so one module holding both would import
itself back through the services.
"""

from shop.notifications.tasks.send import confirmation_send_task, outbox_email_send_task
from shop.notifications.tasks.sweep import confirmations_sweep_task

__all__ = ["confirmation_send_task", "confirmations_sweep_task", "outbox_email_send_task"]
