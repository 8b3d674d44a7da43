from django.urls import path

from shop.bookings import views

app_name = "bookings"

urlpatterns = [
    path("<str:token>/", views.BookView.as_view(), name="book"),
    path("<str:token>/cancel/<int:booking_id>/", views.CancelView.as_view(), name="cancel"),
]
