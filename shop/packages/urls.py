from django.urls import path

from shop.packages import views

app_name = "packages"

urlpatterns = [
    path("", views.TreatmentListView.as_view(), name="treatment-list"),
    path("claim/", views.ClaimRequestView.as_view(), name="claim-request"),
    path("claim/<str:token>/", views.ClaimConfirmView.as_view(), name="claim-confirm"),
    path("reminders-off/<str:token>/", views.RemindersOffView.as_view(), name="reminders-off"),
    path("<str:code>/", views.TreatmentDetailView.as_view(), name="treatment-detail"),
]
