"""Forms of the bookings dashboard: a phone booking, a move, a practitioner with hours."""

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from oscar.core.loading import get_model

from shop.bookings.models import DayOff, Practitioner, WorkingHours
from shop.core.selectors import CLINIC_TZ
from shop.packages.purchases import TREATMENT_CLASS

Product = get_model("catalogue", "Product")


class SlotField(forms.DateTimeField):
    """A time in Singapore typed as YYYY-MM-DD HH:MM (or a browser's datetime-local)."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and timezone.is_naive(value):
            value = value.replace(tzinfo=CLINIC_TZ)
        return value


class MoveForm(forms.Form):
    practitioner = forms.ModelChoiceField(queryset=Practitioner.objects.filter(active=True))
    start = SlotField(label="Start (Singapore time)")


class StaffBookingForm(MoveForm):
    code = forms.CharField(label="Credit code", max_length=16)

    field_order = ["code", "practitioner", "start"]

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper().replace("-", "").replace(" ", "")


class PractitionerForm(forms.ModelForm):
    class Meta:
        model = Practitioner
        fields = [
            "name",
            "chinese_name",
            "registration_number",
            "photo",
            "profile",
            "treatments",
            "location",
            "active",
        ]
        widgets = {"treatments": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treatments"].queryset = Product.objects.filter(
            structure=Product.PARENT, product_class__slug=TREATMENT_CLASS
        ).order_by("title")


HoursFormSet = inlineformset_factory(
    Practitioner,
    WorkingHours,
    fields=["weekday", "start", "end"],
    extra=3,
    widgets={
        "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    },
)
DaysOffFormSet = inlineformset_factory(
    Practitioner,
    DayOff,
    fields=["date", "reason"],
    extra=2,
    widgets={"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
)
