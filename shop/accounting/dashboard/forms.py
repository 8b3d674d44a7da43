from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone

from shop.accounting.exports import month_previous
from shop.accounting.models import ExportFormat, ExportPer
from shop.accounting.rows import ExportSpec
from shop.accounting.selectors import order_export_count
from shop.core.selectors import CLINIC_TZ

THIS_MONTH, LAST_MONTH, THIS_QUARTER, CUSTOM = "this_month", "last_month", "this_quarter", "custom"
PRESETS = [
    (THIS_MONTH, "This month"),
    (LAST_MONTH, "Last month"),
    (THIS_QUARTER, "This quarter"),
    (CUSTOM, "Custom range"),
]
# A longer range is only exported as XLSX by the worker.
SYNC_MAX_DAYS = 366
# Even in the background an export covers at most this many days.
MAX_DAYS = 3660


def preset_range(*, preset: str, today: date) -> tuple[date, date]:
    """Return the first and last day of a preset range around `today` (a Singapore date)."""
    if preset == LAST_MONTH:
        return month_previous(today=today)
    if preset == THIS_QUARTER:
        first = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    else:
        first = today.replace(day=1)
    return first, today


def _last_of_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


class ExportForm(forms.Form):
    """Choose the orders to export (a range in Singapore time, statuses) and the file."""

    preset = forms.ChoiceField(label="Range", choices=PRESETS, initial=THIS_MONTH)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.MultipleChoiceField(
        label="Status (none ticked: all)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    per = forms.ChoiceField(label="Rows", choices=ExportPer.choices, initial=ExportPer.ORDER)
    format = forms.ChoiceField(label="Format", choices=ExportFormat.choices, initial="csv")

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate(timezone=CLINIC_TZ)
        self.fields["status"].choices = [
            (status, status) for status in settings.OSCAR_ORDER_STATUS_PIPELINE
        ]

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if not preset:
            return data
        if preset == CUSTOM:
            date_from, date_to = data.get("date_from"), data.get("date_to")
            if "date_from" in self.errors or "date_to" in self.errors:
                return data
            if not date_from or not date_to:
                raise forms.ValidationError("A custom range needs both a From and a To date.")
        else:
            date_from, date_to = preset_range(preset=preset, today=self.today)
            if preset == LAST_MONTH:
                date_to = _last_of_month(date_from)
        if date_from > date_to:
            raise forms.ValidationError("The From date must not be after the To date.")
        days = (date_to - date_from).days + 1
        if days > MAX_DAYS:
            raise forms.ValidationError(f"A range covers at most {MAX_DAYS} days.")
        fmt = data.get("format")
        if days > SYNC_MAX_DAYS and fmt == ExportFormat.CSV:
            raise forms.ValidationError(
                f"A CSV download covers at most {SYNC_MAX_DAYS} days; "
                "choose XLSX to have a longer range built in the background."
            )
        if not fmt or not data.get("per"):
            return data
        spec = ExportSpec(
            date_from=date_from,
            date_to=date_to,
            per=data["per"],
            format=fmt,
            statuses=tuple(data.get("status") or ()),
        )
        data["spec"] = spec
        data["background"] = fmt == ExportFormat.XLSX and (
            days > SYNC_MAX_DAYS
            or order_export_count(date_from=date_from, date_to=date_to, statuses=spec.statuses)
            > settings.ACCOUNTING_XLSX_SYNC_MAX_ORDERS
        )
        return data
