from django.urls import path

from shop.notifications.views import ConfirmationResendView

app_name = "notifications"

urlpatterns = [
    path("<int:pk>/resend/", ConfirmationResendView.as_view(), name="confirmation-resend"),
]
