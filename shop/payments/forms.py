"""Forms of the payments area."""

from decimal import Decimal

from django import forms

from shop.core.forms import ErrorTextMixin
from shop.payments import selectors


class RefundForm(ErrorTextMixin, forms.Form):
    """A full or partial refund of an order, up to what is still refundable."""

    amount = forms.DecimalField(
        label="Amount to refund (S$)", max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.refundable = selectors.order_refundable(order=order)
        self.fields["amount"].max_value = self.refundable
        self.fields["amount"].widget.attrs.update(max=str(self.refundable), step="0.01")
        self.fields["amount"].initial = self.refundable

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount > self.refundable:
            raise forms.ValidationError(f"At most S${self.refundable} can still be refunded.")
        return amount
