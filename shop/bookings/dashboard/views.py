"""The bookings dashboard: day and week calendars, phone bookings, marks, practitioners."""

import datetime

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import ListView, TemplateView, View

from shop.bookings import selectors, services
from shop.bookings.dashboard.forms import (
    DaysOffFormSet,
    HoursFormSet,
    MoveForm,
    PractitionerForm,
    StaffBookingForm,
)
from shop.bookings.models import Booking, Practitioner
from shop.core.selectors import CLINIC_TZ
from shop.packages.models import PackageCredit

ACTIONS = [("attended", "Attended"), ("no_show", "No-show"), ("cancel", "Cancel")]


def _day(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate(timezone=CLINIC_TZ)


def _day_url(day: datetime.date) -> str:
    return f"{reverse('bookings-dashboard:bookings-day')}?date={day:%Y-%m-%d}"


class DayView(TemplateView):
    """All practitioners side by side for one day."""

    template_name = "oscar/dashboard/bookings/day.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = _day(self.request)
        practitioners, columns = selectors.bookings_for_day(day=day)
        context.update(
            day=day,
            columns=[(p, columns.get(p.pk, [])) for p in practitioners],
            previous=day - datetime.timedelta(days=1),
            next=day + datetime.timedelta(days=1),
            form=StaffBookingForm(),
            actions=ACTIONS,
        )
        return context


class WeekView(TemplateView):
    """One practitioner's week."""

    template_name = "oscar/dashboard/bookings/week.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practitioners = list(Practitioner.objects.filter(active=True))
        try:
            chosen = int(self.request.GET.get("practitioner", ""))
        except ValueError:
            chosen = practitioners[0].pk if practitioners else None
        day = _day(self.request)
        monday = day - datetime.timedelta(days=day.weekday())
        days = selectors.bookings_for_week(practitioner_id=chosen, monday=monday) if chosen else {}
        context.update(
            practitioners=practitioners,
            chosen=chosen,
            monday=monday,
            days=sorted(days.items()),
            previous=monday - datetime.timedelta(days=7),
            next=monday + datetime.timedelta(days=7),
            actions=ACTIONS,
            show_practitioner=False,
        )
        return context


class StaffBookView(View):
    """Book a session on a patient's behalf against one of their credits (POST)."""

    http_method_names = ["post"]

    def post(self, request):
        form = StaffBookingForm(request.POST)
        day = timezone.localdate(timezone=CLINIC_TZ)
        if form.is_valid():
            data = form.cleaned_data
            day = timezone.localtime(data["start"], CLINIC_TZ).date()
            credit = PackageCredit.objects.filter(code=data["code"]).first()
            if credit is None:
                messages.error(request, f"No package credit has the code {data['code']}.")
            else:
                try:
                    services.booking_create(
                        credit_id=credit.pk,
                        practitioner_id=data["practitioner"].pk,
                        start=data["start"],
                        by=request.user,
                    )
                except services.BookingRefused as error:
                    messages.error(request, str(error))
                else:
                    messages.success(
                        request, f"Booked {credit.title} for {credit.name or credit.email}."
                    )
        else:
            messages.error(request, "Give a credit code, a practitioner and a time.")
        return HttpResponseRedirect(_day_url(day))


class BookingActionView(View):
    """Mark a booking attended or no-show, cancel it, or move it (POST)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        booking = get_object_or_404(Booking, pk=pk)
        day = timezone.localtime(booking.start, CLINIC_TZ).date()
        try:
            if action in ("attended", "no_show"):
                services.booking_mark(booking_id=pk, status=action, by=request.user)
            elif action == "cancel":
                services.booking_cancel(booking_id=pk, by=request.user)
            elif action == "move":
                form = MoveForm(request.POST)
                if not form.is_valid():
                    raise services.BookingRefused("Give a practitioner and a time to move to.")
                services.booking_move(
                    booking_id=pk,
                    practitioner_id=form.cleaned_data["practitioner"].pk,
                    start=form.cleaned_data["start"],
                    by=request.user,
                )
                day = timezone.localtime(form.cleaned_data["start"], CLINIC_TZ).date()
            else:
                raise Http404("No such action")
        except services.BookingRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Booking updated.")
        return HttpResponseRedirect(_day_url(day))


class PractitionerListView(ListView):
    template_name = "oscar/dashboard/bookings/practitioner_list.html"
    context_object_name = "practitioners"

    def get_queryset(self):
        return Practitioner.objects.prefetch_related("treatments", "hours")


class PractitionerEditView(TemplateView):
    """Add or change a practitioner with their weekly hours and days off."""

    template_name = "oscar/dashboard/bookings/practitioner_form.html"

    def _forms(self, data=None, files=None):
        pk = self.kwargs.get("pk")
        instance = get_object_or_404(Practitioner, pk=pk) if pk else Practitioner()
        return (
            PractitionerForm(data, files, instance=instance),
            HoursFormSet(data, instance=instance, prefix="hours"),
            DaysOffFormSet(data, instance=instance, prefix="off"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            context["form"], context["hours"], context["days_off"] = self._forms()
        return context

    def post(self, request, **kwargs):
        form, hours, days_off = self._forms(request.POST, request.FILES)
        if form.is_valid() and hours.is_valid() and days_off.is_valid():
            with transaction.atomic():
                practitioner = form.save()
                hours.instance = days_off.instance = practitioner
                hours.save()
                days_off.save()
            messages.success(request, f"{practitioner} saved.")
            return HttpResponseRedirect(reverse("bookings-dashboard:bookings-practitioners"))
        context = self.get_context_data(form=form, hours=hours, days_off=days_off)
        return self.render_to_response(context, status=400)
