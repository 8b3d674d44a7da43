from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from shop.core.pagecache import visitor_state
from shop.core.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Conditions, articles and /sitemap.xml; the dashboard's own sections.
    path("", include("shop.content.urls")),
    # The clinic's pages: /about/, /contact/, /privacy/, /terms/, /refunds/ (pages:detail).
    path("", include("shop.content.page_urls")),
    path("dashboard/content/", apps.get_app_config("content_dashboard").urls),
    path("dashboard/accounting/", apps.get_app_config("accounting_dashboard").urls),
    path("dashboard/payments/", apps.get_app_config("payments_dashboard").urls),
    path("payments/", include("shop.payments.urls")),
    # What a cached page leaves out for the visitor (CSRF token), read by shop/js/visitor.js.
    path("visitor/", visitor_state, name="visitor-state"),
    path("dashboard/confirmations/", apps.get_app_config("notifications_dashboard").urls),
    # Package credits: the patient's My treatments and the front desk's Sessions.
    path("accounts/treatments/", include("shop.packages.urls")),
    path("dashboard/sessions/", apps.get_app_config("packages_dashboard").urls),
    # Bookings: the patient's signed booking links and the staff calendar.
    path("book/", include("shop.bookings.urls")),
    path("dashboard/bookings/", apps.get_app_config("bookings_dashboard").urls),
    # The patient's data (PDPA) and the staff's deletion requests.
    path("accounts/my-data/", include("shop.privacy.urls")),
    path("dashboard/privacy/", apps.get_app_config("privacy_dashboard").urls),
    # Customers > Locked sign-ins: staff unlock accounts django-axes locked out.
    path("dashboard/sign-ins/", apps.get_app_config("lockouts_dashboard").urls),
    path("documents/", include("shop.invoices.urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.SHOP_ADMIN_ENABLED:
    # Superusers only (shop/core/admin_site.py); SHOP_ADMIN_ENABLED=false removes it.
    urlpatterns.insert(1, path("admin/", admin.site.urls))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "shop.core.errors.server_error"
