from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from shop.core.views import HomeView

# The accounting dashboard app: patterns, app name and namespace (its own, for the menu).
accounting_urls = apps.get_app_config("accounting_dashboard").urls

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dashboard/accounting/", include(accounting_urls[:2], namespace=accounting_urls[2])),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
