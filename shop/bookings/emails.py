"""The booking emails: confirmation (with an .ics), moved, cancelled and the reminder.

Sent with Django's EmailMessage: the shop's outbox backend records them in the
current transaction and the worker sends them after commit.
"""

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from shop.bookings.models import Booking
from shop.core.selectors import CLINIC_TZ

CONFIRMED, MOVED, CANCELLED, REMINDER = "confirmed", "moved", "cancelled", "reminder"
SUBJECTS = {
    CONFIRMED: "Your session is booked: {when}",
    MOVED: "Your session has moved: {when}",
    CANCELLED: "Your session of {when} is cancelled",
    REMINDER: "Reminder: your session {when}",
}


def booking_ics(*, booking: Booking) -> bytes:
    """Return the booking as an iCalendar file (one event)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if booking.status == Booking.Status.CANCELLED else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"booking-{booking.pk}@{settings.SITE_URL.split('//')[-1]}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(booking.start, CLINIC_TZ))
    event.add("dtend", timezone.localtime(booking.end, CLINIC_TZ))
    event.add("summary", f"{booking.credit.title} with {booking.practitioner.name}")
    event.add("location", f"{booking.location.name}, {booking.location.address}")
    event.add(
        "description", f"Practitioner: {booking.practitioner}. Credit {booking.credit.code}."
    )
    calendar.add_component(event)
    return calendar.to_ical()


def booking_email_values(*, booking: Booking) -> dict:
    """Return the plain values the booking emails are rendered with."""
    from shop.bookings.selectors import credit_booking_url

    start = timezone.localtime(booking.start, CLINIC_TZ)
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": booking.location.phone or settings.CLINIC_PHONE,
        "name": booking.credit.name or "",
        "treatment": booking.credit.title,
        "practitioner": str(booking.practitioner),
        "date": start.strftime("%A %-d %B %Y"),
        "time": start.strftime("%H:%M"),
        "location": booking.location.name,
        "address": booking.location.address,
        "code": booking.credit.code,
        "manage_url": credit_booking_url(code=booking.credit.code, absolute=True),
        "cancel_hours": settings.BOOKING_CANCEL_HOURS,
        "session_returned": booking.session_returned,
    }


def booking_email_send(*, booking: Booking, kind: str) -> None:
    """Send (record in the outbox) the booking email of `kind` to the patient."""
    values = booking_email_values(booking=booking)
    values["kind"] = kind
    when = f"{values['date']} {values['time']}"
    text = render_to_string("bookings/emails/booking.txt", values)
    message = EmailMultiAlternatives(
        subject=SUBJECTS[kind].format(when=when),
        body=text,
        to=[booking.credit.email],
    )
    message.attach_alternative(
        render_to_string("bookings/emails/booking.html", values), "text/html"
    )
    if kind != REMINDER:
        message.attach(f"booking-{booking.pk}.ics", booking_ics(booking=booking), "text/calendar")
    message.send()
