"""The patient's booking pages, opened by a signed link to one credit (no login needed).

The link names one credit: it shows that credit's open times and bookings and
changes only them (another credit's booking is not found). It expires with the credit.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.views.generic import TemplateView

from shop.bookings import selectors, services
from shop.bookings.slots import slots_open
from shop.core.selectors import CLINIC_TZ

DAYS_SHOWN = 14


class SlotForm(forms.Form):
    practitioner = forms.IntegerField(min_value=1)
    start = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M"])

    def clean_start(self):
        start = self.cleaned_data["start"]
        return start.replace(tzinfo=CLINIC_TZ) if timezone.is_naive(start) else start


def _first_day(request) -> datetime.date:
    today = timezone.localdate(timezone=CLINIC_TZ)
    try:
        day = datetime.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return today
    return min(max(day, today), today + datetime.timedelta(days=settings.BOOKING_HORIZON_DAYS))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BookView(TemplateView):
    """Choose a practitioner (or any), a day and a time for a session of the credit; confirm."""

    template_name = "bookings/book.html"

    def dispatch(self, request, *args, token: str, **kwargs):
        self.token = token
        self.credit = selectors.credit_for_token(token=token)
        if self.credit is None:
            raise Http404("This booking link is not valid or has expired")
        return super().dispatch(request, *args, **kwargs)

    def _booking(self, booking_id) -> "services.Booking":
        booking = self.credit.bookings.filter(pk=_int(booking_id)).first()
        if booking is None:
            raise Http404("No such booking")
        return booking

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        credit = self.credit
        treatment_id = services.credit_treatment_id(credit=credit)
        practitioner_id = _int(self.request.GET.get("practitioner"))
        first_day = _first_day(self.request)
        moving = self.request.GET.get("move") or kwargs.get("moving")
        days = slots_open(
            treatment_id=treatment_id or 0,
            minutes=credit.session_minutes,
            first_day=first_day,
            days=DAYS_SHOWN,
            valid_until=credit.valid_until,
            practitioner_id=practitioner_id,
        )
        practitioners = selectors.practitioners_for_treatment(treatment_id=treatment_id or 0)
        context.update(
            credit=credit,
            token=self.token,
            practitioners=practitioners,
            names={p.pk: str(p) for p in practitioners},
            chosen=practitioner_id,
            days=[(day, slots) for day, slots in days.items() if slots],
            next_from=first_day + datetime.timedelta(days=DAYS_SHOWN),
            bookings=selectors.credit_bookings(credit=credit),
            bookable=selectors.credit_bookable(credit=credit),
            moving=self._booking(moving) if moving else None,
            cancel_hours=settings.BOOKING_CANCEL_HOURS,
            location=selectors.location_main(),
            page_title=f"Book a session: {credit.title}",
        )
        return context

    def post(self, request, *args, **kwargs):
        form = SlotForm(request.POST)
        moving = request.POST.get("move")
        if not form.is_valid():
            messages.error(request, "Please choose a time from the list.")
            return self.render_to_response(self.get_context_data(moving=moving), status=400)
        practitioner_id, start = form.cleaned_data["practitioner"], form.cleaned_data["start"]
        try:
            if moving:
                services.booking_move(
                    booking_id=self._booking(moving).pk,
                    practitioner_id=practitioner_id,
                    start=start,
                    by=request.user,
                )
            else:
                services.booking_create(
                    credit_id=self.credit.pk,
                    practitioner_id=practitioner_id,
                    start=start,
                    by=request.user,
                )
        except services.BookingRefused as error:
            messages.error(request, str(error))
            status = 409 if isinstance(error, services.SlotTaken) else 400
            return self.render_to_response(self.get_context_data(moving=moving), status=status)
        local = timezone.localtime(start, CLINIC_TZ)
        messages.success(
            request, f"Your session is booked for {local:%A %-d %B %Y} at {local:%H:%M}."
        )
        return HttpResponseRedirect(request.path)


class CancelView(BookView):
    """Cancel one of the credit's bookings (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, booking_id: int, **kwargs):
        booking = self._booking(booking_id)
        try:
            booking = services.booking_cancel(booking_id=booking.pk, by=request.user)
        except services.BookingRefused as error:
            messages.error(request, str(error))
        else:
            if booking.session_returned:
                messages.success(request, "Your booking is cancelled; the session is back.")
            else:
                messages.warning(
                    request,
                    "Your booking is cancelled. As it was less than "
                    f"{settings.BOOKING_CANCEL_HOURS} hours ahead, the session is used.",
                )
        return HttpResponseRedirect(request.path.rsplit("cancel/", 1)[0])
