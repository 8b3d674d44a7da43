from django.urls import path
from oscar.core.application import OscarDashboardConfig

VIEW_PERMISSION = "bookings.view_booking"
CHANGE_PERMISSION = "bookings.manage_bookings"
PRACTITIONER_PERMISSION = "bookings.change_practitioner"


class BookingsDashboardConfig(OscarDashboardConfig):
    """Dashboard -> Bookings: the calendar, phone bookings, attended/no-show, practitioners.

    Clinic staff read and change; accountants read; patients nothing.
    """

    label = "bookings_dashboard"
    name = "shop.bookings.dashboard"
    verbose_name = "Bookings dashboard"
    namespace = "bookings-dashboard"

    default_permissions = [VIEW_PERMISSION]
    permissions_map = {
        "bookings-day": [VIEW_PERMISSION],
        "bookings-week": [VIEW_PERMISSION],
        "bookings-new": [CHANGE_PERMISSION],
        "bookings-action": [CHANGE_PERMISSION],
        "bookings-practitioners": [VIEW_PERMISSION],
        "bookings-practitioner-new": [PRACTITIONER_PERMISSION],
        "bookings-practitioner-edit": [PRACTITIONER_PERMISSION],
    }

    def get_urls(self):
        from shop.bookings.dashboard import views

        urls = [
            path("", views.DayView.as_view(), name="bookings-day"),
            path("week/", views.WeekView.as_view(), name="bookings-week"),
            path("new/", views.StaffBookView.as_view(), name="bookings-new"),
            path(
                "<int:pk>/<str:action>/",
                views.BookingActionView.as_view(),
                name="bookings-action",
            ),
            path(
                "practitioners/",
                views.PractitionerListView.as_view(),
                name="bookings-practitioners",
            ),
            path(
                "practitioners/new/",
                views.PractitionerEditView.as_view(),
                name="bookings-practitioner-new",
            ),
            path(
                "practitioners/<int:pk>/",
                views.PractitionerEditView.as_view(),
                name="bookings-practitioner-edit",
            ),
        ]
        return self.post_process_urls(urls)
