from django import forms


class RedeemForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label="Note (optional)")


class UndoForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Reason for undoing")


class ExtendForm(forms.Form):
    valid_until = forms.DateField(
        label="New last valid day", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(max_length=500, label="Reason")


class RefundForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label="Note (optional)")


class LiabilityForm(forms.Form):
    """As of a day, or (with both days) for a period; Singapore days."""

    as_of = forms.DateField(required=False, label="As of (end of day)")
    date_from = forms.DateField(required=False, label="Period from")
    date_to = forms.DateField(required=False, label="Period to")
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")], required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("date_from")) != bool(data.get("date_to")):
            raise forms.ValidationError("Give both days of the period.")
        if data.get("date_from") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The period's first day must not be after its last.")
        return data


class FlagResolveForm(forms.Form):
    sessions = forms.IntegerField(
        min_value=0, max_value=100, label="Sessions the refund was for (0: none)"
    )
    note = forms.CharField(required=False, max_length=500, label="Note (optional)")
