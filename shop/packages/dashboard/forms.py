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
