from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "shop.bookings"
    label = "bookings"
    verbose_name = "Bookings"
