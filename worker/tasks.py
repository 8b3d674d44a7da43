"""Celery tasks of the shop: thin wrappers that take ids and call a service."""
