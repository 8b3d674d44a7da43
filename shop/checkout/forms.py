"""Forms of the checkout's payment step."""

from django import forms
from django.core.validators import RegexValidator


class PaymentMethodForm(forms.Form):
    """The payment method the browser made of the patient's card (Stripe.js)."""

    payment_method = forms.CharField(
        max_length=255,
        validators=[
            RegexValidator(
                r"^(pm|card|tok|src)_[A-Za-z0-9_]+$",
                "Your card details did not reach us. Please enter them again.",
            )
        ],
        error_messages={"required": "Please enter your card details."},
    )

    # The total (in cents) the patient saw on the Pay button. The browser always sends it;
    # a different total means the basket changed in another tab since the page was shown.
    amount = forms.IntegerField(required=False, min_value=0)

    def error_text(self) -> str:
        """Return the form's errors as one sentence for the payment page."""
        return " ".join(str(e) for errors in self.errors.values() for e in errors)
