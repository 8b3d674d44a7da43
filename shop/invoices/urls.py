from django.urls import path, re_path

from shop.invoices import views

app_name = "invoices"

urlpatterns = [
    path("<int:pk>/", views.document_download, name="download"),
    re_path(
        r"^guest/(?P<order_number>[\w-]+)/(?P<hash>[A-Za-z0-9_=:-]+)/(?P<pk>\d+)/$",
        views.guest_document_download,
        name="guest-download",
    ),
]
