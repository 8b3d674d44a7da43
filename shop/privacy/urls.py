from django.urls import path

from shop.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.MyDataView.as_view(), name="my-data"),
    path("download/", views.MyDataDownloadView.as_view(), name="my-data-download"),
    path("delete/", views.DeletionRequestView.as_view(), name="deletion-request"),
]
