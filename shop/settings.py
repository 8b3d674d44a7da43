"""Settings of the clinic shop: one module, read from the environment.

Every value comes from an environment variable (see `.env.example`). The
defaults are the embedded local stack of `make run` (SQLite, a filesystem
broker, emails written to files) and are only allowed with DEBUG on: with
DEBUG off the shop refuses to start without its secrets.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from kombu import Exchange, Queue
from oscar.defaults import *  # noqa: F403  (Oscar's settings, overridden below)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("SHOP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment (see .env.example), "
            "or set DEBUG=true for a local run."
        )
    # Local runs only: DEBUG is on, so this key never signs anything in production.
    SECRET_KEY = "local-only-insecure-key-never-used-with-debug-off"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Applications -----------------------------------------------------------

INSTALLED_APPS = [
    # Django's admin, for superusers only (shop/core/admin_site.py).
    "shop.core.admin_site.ShopAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Oscar, with the apps the shop forks in place of Oscar's own.
    "oscar.config.Shop",
    # Forked: a sale is counted after its order committed, never failing it (see its apps.py).
    "shop.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "shop.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "shop.customer.apps.CustomerConfig",
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    # Oscar's dashboard, forked so that shop/dashboard/<app>/ takes over through get_class.
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    # Oscar's order dashboard; posting changes needs the right to change orders.
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    # Oscar's catalogue dashboard, whose product page also edits conditions and articles.
    "shop.content.dashboard.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    # Oscar's partner dashboard: linking users by POST only, saving needs the change right.
    "shop.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    # Oscar's email templates, previewed against plain values (never model instances).
    "shop.notifications.dashboard.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # Oscar's dependencies
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # The shop's own apps
    "shop.core.apps.CoreConfig",
    "shop.content.apps.ContentConfig",
    "shop.content.dashboard.apps.ContentDashboardConfig",
    "shop.accounting.apps.AccountingConfig",
    "shop.accounting.dashboard.apps.AccountingDashboardConfig",
    "shop.payments.apps.PaymentsConfig",
    "shop.payments.dashboard.apps.PaymentsDashboardConfig",
    "shop.notifications.apps.NotificationsConfig",
    "shop.notifications.dashboard.apps.NotificationsDashboardConfig",
    # The patient's data (PDPA): download and account deletion, with its dashboard section.
    "shop.privacy.apps.PrivacyConfig",
    "shop.privacy.dashboard.apps.PrivacyDashboardConfig",
    # Sign-in lockouts (shop/settings.py, Security), unlocked by staff in the dashboard.
    "axes",
    "shop.lockouts.dashboard.apps.LockoutsDashboardConfig",
    # Django's form templates for FORM_RENDERER (Security: widgets from templates/).
    "django.forms",
    # Tax invoices and credit notes (PDF)
    "shop.invoices.apps.InvoicesConfig",
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy, then the shop's headers (Stripe's hosts on the payment
    # page, Permissions-Policy, SameSite cookies): see shop/core/security.py.
    "csp.middleware.CSPMiddleware",
    "shop.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for visitors without a basket or login, from Redis (see "Page cache").
    # Inside CSPMiddleware: each hit takes its request's own nonce, which the header names.
    "shop.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    # A payment left half-way (an outage, a closed tab, the webhook was quicker) is settled
    # on the next visit to the basket or the checkout: see shop/checkout/recovery.py.
    "shop.checkout.recovery.InterruptedPaymentMiddleware",
    # Per-IP limits on password resets, registrations, order lookups and voucher codes.
    "shop.core.throttle.RateLimitMiddleware",
    # Last: django-axes turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "shop.core.context_processors.clinic",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # First: refuse a locked-out account and IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "shop.customer.auth_backends.TimingSafeEmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

# --- Data -------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The local stack's web server, worker and beat write to one SQLite file: wait for the
    # lock instead of failing, take it at the start of a transaction, and let readers read
    # while one writes (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    # A connection kept open is checked before a request uses it: after a database restart
    # the request gets a new one instead of an error.
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache that reads a miss and drops a write while Redis is away
            # (shop/core/cache.py): pages render from PostgreSQL instead of answering 500.
            "BACKEND": "shop.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="shop"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Page cache (shop/core/pagecache.py) -------------------------------------
# Home, the catalogue (its categories and products), conditions and articles are served
# from the cache to visitors without a session, basket or messages cookie.
PAGECACHE_ENABLED = env.bool("PAGECACHE_ENABLED", default=True)
PAGECACHE_PATHS = ("/", "/catalogue/", "/conditions/", "/articles/")
PAGECACHE_EXCLUDED_PATHS = ()
PAGECACHE_ALLOWED_COOKIES = ("csrftoken",)
# Set by a page to every cookie-less visitor alike (a product page's recently-viewed history).
PAGECACHE_REPLAYED_COOKIES = ("oscar_history",)
PAGECACHE_TIMEOUT = env.int("PAGECACHE_TIMEOUT", default=600)
# Change it (e.g. the release's id) to drop every cached page at a deploy.
PAGECACHE_VERSION = env.str("PAGECACHE_VERSION", default="1")

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en-sg"
LANGUAGES = [("en-sg", "English (Singapore)")]
TIME_ZONE = "Asia/Singapore"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "shop" / "static",
    # The shop's own jQuery (npm, pinned in package-lock.json; `make npm`), not a CDN's.
    ("vendor/jquery", BASE_DIR / "node_modules" / "jquery" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files (exports, invoices): never under a public URL, served by views that check.
PRIVATE_ROOT = Path(env.str("PRIVATE_ROOT", default=str(VAR_DIR / "private")))
# Production behind nginx: private files are sent by nginx from this `internal` location
# (X-Accel-Redirect) once the view has checked; empty: Django streams them itself.
PRIVATE_FILES_X_ACCEL_PREFIX = env.str("PRIVATE_FILES_X_ACCEL_PREFIX", default="")
# Production serves hashed, compressed files made by collectstatic; local runs and tests
# serve the files as they are.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Images staff upload (products, conditions, articles): at most this heavy and this large.
SHOP_IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
SHOP_IMAGE_UPLOAD_MAX_SIDE = env.int("IMAGE_UPLOAD_MAX_SIDE", default=4000)
THUMBNAIL_DEBUG = False
# sorl's cached database store, with a per-process memory in front (shop/catalogue/thumbnails.py).
THUMBNAIL_KVSTORE = "shop.catalogue.thumbnails.KVStore"

# --- Email ------------------------------------------------------------------

EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    # Local runs: each email is written as a file under var/mail/ to be opened by hand.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# Every email goes through the worker's outbox (retries, sent-marker, sweep): pages and
# tasks record it; the worker delivers with the backend above.
SHOP_EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND
EMAIL_BACKEND = "shop.notifications.backends.OutboxEmailBackend"
# An unresponsive SMTP server must not hold a worker (and a confirmation's lock) for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Liang Yi TCM <orders@liangyi-tcm.example>"
)
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
CLINIC_ORDERS_EMAIL = env.str("CLINIC_ORDERS_EMAIL", default="orders@liangyi-tcm.example")
ACCOUNTANTS_EMAIL = env.str("ACCOUNTANTS_EMAIL", default="accounts@liangyi-tcm.example")

# --- Search -----------------------------------------------------------------

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": env.str("WHOOSH_PATH", default=str(VAR_DIR / "whoosh_index")),
        "INCLUDE_SPELLING": False,
    },
}
# Staff edits in the dashboard reach the search index at once.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.RealtimeSignalProcessor"

# --- Celery -----------------------------------------------------------------

CELERY_TASK_ALWAYS_EAGER = False
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="shop")
# The tax documents' PDFs have a queue of their own, which a worker takes from only when the
# default one is empty (the Redis transport's "priority" order, below): an order's
# confirmation renders the PDF it attaches itself, so after a burst of orders no email waits
# on the PDF its order's render task is making at that moment; those render tasks find the
# PDFs made. The PDF of an order without a confirmation (or whose email failed) is rendered
# when the emails are out, as are the monthly ZIPs.
CELERY_DOCUMENTS_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-documents"
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in (CELERY_TASK_DEFAULT_QUEUE, CELERY_DOCUMENTS_QUEUE)
]
CELERY_TASK_ROUTES = {"shop.invoices.document_render": {"queue": CELERY_DOCUMENTS_QUEUE}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task a dead worker held (acks_late) is delivered again after this many seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        # The queues in CELERY_TASK_QUEUES' order: the documents' only when no email waits.
        "queue_order_strategy": "priority",
        # A page that publishes a task must not hang on an unreachable Redis.
        "socket_connect_timeout": 1,
        "socket_timeout": 3,
    }
else:
    # Embedded broker for local runs: kombu's filesystem transport, with a real worker.
    CELERY_BROKER_DIR = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = None

# --- Confirmations ------------------------------------------------------------

# Publishing from a page gives up within a few seconds when the broker is down (a few quick
# retries); the caller logs it and the sweep sends later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# SMTP failures are retried with exponential backoff (1 s, 2 s, 4 s ... at most 10 min).
CONFIRMATION_SEND_MAX_RETRIES = env.int("CONFIRMATION_SEND_MAX_RETRIES", default=8)
# Confirmations still unsent this long after the order are enqueued again by the sweep.
CONFIRMATION_SWEEP_AFTER_MINUTES = env.int("CONFIRMATION_SWEEP_AFTER_MINUTES", default=5)

# --- Stripe -----------------------------------------------------------------

STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Set to localstripe's address (e.g. http://127.0.0.1:8420) to pay offline.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
if DEBUG and not STRIPE_SECRET_KEY:
    # Local runs without Stripe keys pay offline: `make run` starts localstripe here.
    STRIPE_API_BASE = STRIPE_API_BASE or "http://127.0.0.1:8420"
    STRIPE_SECRET_KEY = "sk_test_local"  # noqa: S105  (localstripe accepts any sk_ key)
    STRIPE_PUBLISHABLE_KEY = STRIPE_PUBLISHABLE_KEY or "pk_test_local"
    STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET or "whsec_local"  # noqa: S105
# Stock is reserved when the card is charged; a payment that has not succeeded this long
# after is cancelled at Stripe by the sweep and its stock given back.
PAYMENT_RESERVATION_MINUTES = env.int("PAYMENT_RESERVATION_MINUTES", default=30)

# Shipping (Singapore only): a flat rate, free at or above the threshold (GST-inclusive SGD).
SHOP_SHIPPING_FLAT_RATE = Decimal(env.str("SHIPPING_FLAT_RATE", default="8.00"))
SHOP_FREE_SHIPPING_THRESHOLD = Decimal(env.str("FREE_SHIPPING_THRESHOLD", default="80.00"))

# --- The clinic -------------------------------------------------------------

CLINIC_NAME = env.str("CLINIC_NAME", default="Liang Yi TCM")
CLINIC_ADDRESS = env.str(
    "CLINIC_ADDRESS", default="10 Anson Road, #03-04 International Plaza, Singapore 079903"
)
CLINIC_PHONE = env.str("CLINIC_PHONE", default="+65 6000 0000")
CLINIC_EMAIL = env.str("CLINIC_EMAIL", default="hello@liangyi-tcm.example")
# The clinic's online booking page, if it has one (the shop has none): unset, emails say to call.
CLINIC_BOOKING_URL = env.str("CLINIC_BOOKING_URL", default="")
# Opening hours, shown in the footer and in emails (one line; "; " separates the days).
CLINIC_HOURS = env.str(
    "CLINIC_HOURS",
    default="Mon-Fri 9am-8pm; Sat 9am-5pm; closed on Sundays and public holidays",
)

# GST: prices are GST-inclusive; the GST part is computed from this rate.
SHOP_GST_REGISTERED = env.bool("GST_REGISTERED", default=True)
SHOP_GST_RATE = Decimal(env.str("GST_RATE", default="9"))

# Demo accounts are only ever created by `make run` with this set.
SHOP_LOCAL_DEMO = env.bool("SHOP_LOCAL_DEMO", default=False)

# --- Tax invoices and credit notes (shop/invoices) ----------------------------

# Printed on every tax invoice; required when GST-registered (the deploy check says so).
SHOP_GST_REG_NO = env.str("GST_REGISTRATION_NUMBER", default="")
# Numbers are prefix + a zero-padded sequence; "{year}" in a prefix restarts it each year.
SHOP_INVOICE_PREFIX = env.str("INVOICE_NUMBER_PREFIX", default="INV-{year}-")
SHOP_INVOICE_NUMBER_START = env.int("INVOICE_NUMBER_START", default=1)
SHOP_CREDIT_NOTE_PREFIX = env.str("CREDIT_NOTE_NUMBER_PREFIX", default="CN-{year}-")
SHOP_CREDIT_NOTE_NUMBER_START = env.int("CREDIT_NOTE_NUMBER_START", default=1)
SHOP_DOCUMENT_NUMBER_DIGITS = 6
# The shop's cut of the Chinese font for the PDFs (`make fonts`, shop/invoices/fonts.py). Not
# under SHOP_VAR_DIR: built once per checkout (or image), whatever data folder a process uses.
INVOICE_FONT_DIR = Path(env.str("INVOICE_FONT_DIR", default=str(BASE_DIR / "var" / "fonts")))

# --- Oscar ------------------------------------------------------------------

OSCAR_SHOP_NAME = CLINIC_NAME
OSCAR_SHOP_TAGLINE = "Traditional Chinese Medicine"
OSCAR_HOMEPAGE = reverse_lazy("home")
OSCAR_DEFAULT_CURRENCY = "SGD"
OSCAR_CURRENCY_FORMAT = {
    "SGD": {"format": "S$#,##0.00", "currency_digits": False},
}
OSCAR_ALLOW_ANON_CHECKOUT = True
# Offers work on the GST-inclusive prices patients see ("10% off" takes 10% off the shelf price).
OSCAR_OFFERS_INCL_TAX = True
OSCAR_ALLOW_ANON_REVIEWS = False
# A patient's review is shown only once staff approved it (dashboard, Reviews).
OSCAR_MODERATE_REVIEWS = True
OSCAR_PRODUCTS_PER_PAGE = 24
# No "Refine by" facets: Whoosh counts the stemmed words of a product class ("packag", "well")
# and cannot run query facets (price ranges); the category menu does the refining.
OSCAR_SEARCH_FACETS = {"fields": {}, "queries": {}}
OSCAR_INITIAL_ORDER_STATUS = "Paid"
OSCAR_INITIAL_LINE_STATUS = "Paid"
OSCAR_ORDER_STATUS_PIPELINE = {
    "Paid": ("Processing", "Completed", "Partially refunded", "Refunded", "Cancelled"),
    "Processing": ("Completed", "Partially refunded", "Refunded", "Cancelled"),
    "Completed": ("Partially refunded", "Refunded"),
    "Partially refunded": ("Refunded", "Completed"),
    "Refunded": (),
    "Cancelled": (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"

# --- Accounting exports -----------------------------------------------------

# An XLSX export of more orders than this is built by the worker (CSV always streams).
ACCOUNTING_XLSX_SYNC_MAX_ORDERS = env.int("ACCOUNTING_XLSX_SYNC_MAX_ORDERS", default=1000)
# The monthly email to ACCOUNTANTS_EMAIL: one row per "line" or per "order".
ACCOUNTING_MONTHLY_PER = env.str("ACCOUNTING_MONTHLY_PER", default="line")

# --- Beat: every periodic task of the shop, in one place ---------------------

# Task names are stable (see README, "Tasks"); beat runs in CELERY_TIMEZONE (Singapore).
CELERY_BEAT_SCHEDULE = {
    # The outbox's sweep: emails still unsent after CONFIRMATION_SWEEP_AFTER_MINUTES.
    "confirmations-sweep": {
        "task": "worker.tasks.confirmations_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Stock held by payments that never succeeded, after PAYMENT_RESERVATION_MINUTES.
    "payments-reservations-sweep": {
        "task": "shop.payments.tasks.reservations_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Product views counted in Redis (shop.analytics.services), added to Oscar's analytics rows.
    "analytics-product-views-flush": {
        "task": "shop.analytics.tasks.product_views_flush_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # 06:00 on the 1st: last month's orders to ACCOUNTANTS_EMAIL.
    "accounting-monthly-export": {
        "task": "worker.tasks.accounting_monthly_export_send",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
    # Background exports whose enqueueing failed (broker down) are enqueued again.
    "accounting-export-jobs-sweep": {
        "task": "worker.tasks.accounting_export_jobs_sweep",
        "schedule": crontab(minute="*/10"),
    },
    # 03:30: export files older than ACCOUNTING_EXPORT_RETENTION_DAYS are deleted.
    "accounting-export-files-purge": {
        "task": "shop.accounting.tasks.accounting_export_files_purge",
        "schedule": crontab(minute=30, hour=3),
    },
    # 00:05: credits whose last valid day (Singapore) has passed expire.
    "packages-expire": {
        "task": "shop.packages.tasks.credits_expire_task",
        "schedule": crontab(minute=5, hour=0),
    },
    # 09:00: package expiry and last-session reminders, each once.
    "packages-reminders": {
        "task": "shop.packages.tasks.credit_reminders_task",
        "schedule": crontab(minute=0, hour=9),
    },
    # Booking reminders BOOKING_REMINDER_HOURS ahead, each sent once.
    "bookings-reminders": {
        "task": "shop.bookings.tasks.booking_reminders_task",
        "schedule": crontab(minute="*/10"),
    },
    # Tax documents whose PDF could not be enqueued (broker down) are enqueued again.
    "invoices-render-sweep": {
        "task": "shop.invoices.documents_render_sweep",
        "schedule": crontab(minute="*/10"),
    },
    # Documents ZIPs still waiting for the worker (broker down when asked) are enqueued again.
    "invoices-archives-sweep": {
        "task": "shop.invoices.document_archives_sweep",
        "schedule": crontab(minute="*/10"),
    },
}
# The files of background exports (names and emails of patients) are deleted this many
# days after they were built; the export log keeps the record of who exported what.
ACCOUNTING_EXPORT_RETENTION_DAYS = env.int("ACCOUNTING_EXPORT_RETENTION_DAYS", default=30)

# --- Dashboard menu: Oscar's sections and the shop's own -------------------

OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,  # noqa: F405  (Oscar's menu, from oscar.defaults)
    {
        # Not "Content": Oscar's menu has a "Content" entry already (pages, emails, reviews).
        "label": "Health content",
        "icon": "fas fa-book-medical",
        "children": [
            {"label": "Conditions", "url_name": "content-dashboard:content-condition-list"},
            {"label": "Articles", "url_name": "content-dashboard:content-article-list"},
            {"label": "Clinic pages", "url_name": "content-dashboard:content-page-list"},
        ],
    },
    {
        # Confirmations and other emails the worker gave up on, with "Send again".
        "label": "Undelivered emails",
        "icon": "fas fa-envelope-open-text",
        "url_name": "notifications-dashboard:notifications-failed",
    },
    {
        "label": "Accounting",
        "icon": "fas fa-calculator",
        "children": [
            {"label": "Export orders", "url_name": "accounting-dashboard:accounting-export"},
            # The accountants' (accounting.export_orders), served by the Sessions dashboard app.
            {"label": "Package liability", "url_name": "packages-dashboard:packages-liability"},
            {"label": "Documents", "url_name": "accounting-dashboard:accounting-documents"},
        ],
    },
    {
        "label": "Payments",
        "icon": "fas fa-credit-card",
        "children": [
            {
                "label": "Payments without an order",
                "url_name": "payments-dashboard:payments-problem-list",
            },
        ],
    },
    {
        "label": "Account deletions",
        "icon": "fas fa-user-slash",
        "url_name": "privacy-dashboard:privacy-request-list",
    },
]
# Customers > Locked sign-ins: staff unlock a locked-out account (shop/lockouts/).
next(
    entry
    for entry in OSCAR_DASHBOARD_NAVIGATION
    if any(child.get("url_name") == "dashboard:users-index" for child in entry.get("children", []))
)["children"].append({"label": "Locked sign-ins", "url_name": "lockouts-dashboard:lockout-list"})

# --- Security ---------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Oscar's own cookies: the guest's basket (its signed id) and the recently viewed products.
    OSCAR_BASKET_COOKIE_SECURE = True
    OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp 4): the shop's own origin only; Oscar's one inline
# page-load script carries a nonce; the payment page adds Stripe's hosts (real keys) or
# localstripe's address (offline) through shop.core.security. Style attributes stay allowed
# (Oscar's templates and Bootstrap use them); style and script elements do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
# Form widgets render through TEMPLATES, so templates/ overrides them like any page (Oscar's
# image field, without its inline handlers); Django's own widgets come from "django.forms".
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# Sign-in: an account and IP pair is locked after AXES_FAILURE_LIMIT failures for the
# cool-off, on /accounts/login/ and /dashboard/login/ alike (a 429 page that says so).
# Staff with axes.delete_accessattempt (superusers; give it to a group in /admin/ for the
# front desk) unlock it in the dashboard (Customers > Locked sign-ins,
# shop/lockouts/); also /admin/axes/ or `manage.py axes_reset_username EMAIL`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_USERNAME_CALLABLE = "shop.customer.auth_backends.login_username"
# The client's address, for the lockouts and the per-IP limits alike: REMOTE_ADDR, or behind
# SHOP_TRUSTED_PROXY_COUNT reverse proxies (each appending to X-Forwarded-For) the address
# that many entries from the right of X-Forwarded-For; what the client wrote to the left of
# it is never used, so a forged header dodges nothing. 0: no proxy, the header is ignored.
SHOP_TRUSTED_PROXY_COUNT = env.int("SHOP_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "shop.core.security.client_ip"
RATELIMIT_IP_META_KEY = "shop.core.security.client_ip"
# Attempts per IP address (django-ratelimit, counted in the cache), by URL name; POSTs only.
SHOP_RATE_LIMITS = {
    "password-reset": "5/15m",
    "customer:register": "5/h",
    "customer:anon-order-form": "10/15m",
    "basket:vouchers-add": "10/15m",
}
# Absolute links in Oscar's emails (password reset): https in production, SITE_URL's scheme
# in local runs. The Site's domain comes from SITE_URL (shop/core/sites.py, on migrate).
OSCAR_URL_SCHEMA = "https" if not DEBUG else SITE_URL.split("://")[0]
# Django's admin (superusers only) can be switched off; the dashboard is the staff's tool.
SHOP_ADMIN_ENABLED = env.bool("SHOP_ADMIN_ENABLED", default=True)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "haystack": {"level": "ERROR"},
        "oscar.alerts": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},  # one INFO line per rendering step of a PDF
    },
}

# --- Treatment packages: credits, front desk, expiry -------------------------

INSTALLED_APPS += [
    "shop.packages.apps.PackagesConfig",
    "shop.packages.dashboard.apps.PackagesDashboardConfig",
]
# A redemption can be undone (with a reason) this many hours after it was recorded.
PACKAGE_UNDO_HOURS = env.int("PACKAGE_UNDO_HOURS", default=24)
# Validity of a package whose product names none.
PACKAGE_DEFAULT_VALIDITY_DAYS = env.int("PACKAGE_DEFAULT_VALIDITY_DAYS", default=365)
# Expiry reminders go this many days before a credit's last valid day (and one when a
# single session is left), each once.
PACKAGE_REMINDER_FIRST_DAYS = env.int("PACKAGE_REMINDER_FIRST_DAYS", default=30)
PACKAGE_REMINDER_SECOND_DAYS = env.int("PACKAGE_REMINDER_SECOND_DAYS", default=7)
OSCAR_DASHBOARD_NAVIGATION += [
    {
        "label": "Sessions",
        "icon": "fas fa-ticket-alt",
        "url_name": "packages-dashboard:packages-credit-list",
    },
]

# --- Bookings: practitioners, hours, slots, bookings against credits ---------

INSTALLED_APPS += [
    "shop.bookings.apps.BookingsConfig",
    "shop.bookings.dashboard.apps.BookingsDashboardConfig",
]
# A session blocks its practitioner this many minutes longer (cleaning, notes).
BOOKING_BUFFER_MINUTES = env.int("BOOKING_BUFFER_MINUTES", default=10)
# Open times start this many hours ahead and end this many days ahead.
BOOKING_LEAD_HOURS = env.int("BOOKING_LEAD_HOURS", default=2)
BOOKING_HORIZON_DAYS = env.int("BOOKING_HORIZON_DAYS", default=60)
# Slots start on this grid (minutes past the start of a working span).
BOOKING_SLOT_STEP_MINUTES = env.int("BOOKING_SLOT_STEP_MINUTES", default=15)
# Cancelling or moving up to this many hours before gives the session back.
BOOKING_CANCEL_HOURS = env.int("BOOKING_CANCEL_HOURS", default=24)
# The reminder goes this many hours before a booking, once.
BOOKING_REMINDER_HOURS = env.int("BOOKING_REMINDER_HOURS", default=24)
OSCAR_DASHBOARD_NAVIGATION += [
    {
        "label": "Bookings",
        "icon": "fas fa-calendar-alt",
        "children": [
            {"label": "Day", "url_name": "bookings-dashboard:bookings-day"},
            {"label": "Week", "url_name": "bookings-dashboard:bookings-week"},
            {"label": "Practitioners", "url_name": "bookings-dashboard:bookings-practitioners"},
        ],
    },
]
