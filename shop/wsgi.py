"""WSGI entry point of the clinic shop (gunicorn shop.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

application = get_wsgi_application()

# Load every view module now and take what is loaded out of the garbage collector's sight:
# a full collection otherwise walks some 200,000 long-lived objects (apps, models, URL
# patterns), stalling a worker for 100-400 ms every few thousand requests (README,
# "Performance").
get_resolver().url_patterns  # noqa: B018  (imports the views)
gc.collect()
gc.freeze()
