"""Forms of the checkout: the Singapore delivery address and the payment step."""

import re

import phonenumbers
from django import forms
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import RegexValidator
from oscar.apps.address import forms as address_forms
from oscar.apps.checkout import forms as checkout_forms
from phonenumber_field.phonenumber import PhoneNumber

from shop.core.forms import ErrorTextMixin

SINGAPORE = "SG"
SINGAPORE_POSTCODE = re.compile(r"^[0-9]{6}$")
POSTCODE_ERROR = "Please enter your six-digit Singapore postal code, for example 079903."
PHONE_ERROR = "Please enter a Singapore phone number, for example 9123 4567."

# The address fields a patient fills in, in the order the form shows them. The city,
# state and country are not asked: the shop delivers in Singapore only.
SINGAPORE_ADDRESS_FIELDS = [
    "first_name",
    "line1",
    "line2",
    "line3",
    "postcode",
    "phone_number",
    "notes",
]


class SingaporeAddressMixin:
    """Ask for a Singapore delivery address: name, block and street, unit, postal code, phone.

    The full name is kept in Oscar's `first_name`; the city is always "Singapore" and
    the country Singapore, set on the address without asking.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("country", None)
        # By its key (the ISO code): the form is shown on every address page, and only
        # a submitted address reads the country (Oscar's postcode check), once.
        self.instance.country_id = SINGAPORE
        self.instance.line4 = "Singapore"
        self.instance.state = ""
        fields = self.fields
        fields["first_name"].label = "Full name"
        fields["first_name"].required = True
        fields["first_name"].widget.attrs["autocomplete"] = "name"
        fields["line1"].label = "Block and street"
        fields["line1"].help_text = "For example: Blk 123 Ang Mo Kio Avenue 3"
        fields["line1"].widget.attrs["autocomplete"] = "address-line1"
        fields["line2"].label = "Unit number"
        fields["line2"].required = False
        fields["line2"].help_text = "For example: #03-04. Leave it empty for a landed house."
        fields["line2"].widget.attrs["autocomplete"] = "address-line2"
        fields["line3"].label = "Building name"
        fields["line3"].required = False
        fields["postcode"].label = "Postal code"
        fields["postcode"].required = True
        fields["postcode"].widget.attrs.update(inputmode="numeric", autocomplete="postal-code")
        fields["phone_number"].label = "Phone number"
        fields["phone_number"].required = True
        fields["phone_number"].help_text = "A Singapore number, so that the courier can call you."
        fields["phone_number"].widget.attrs.update(type="tel", autocomplete="tel")
        fields["notes"].label = "Delivery instructions"

    def clean_postcode(self) -> str:
        postcode = re.sub(r"\s", "", self.cleaned_data.get("postcode") or "")
        if not SINGAPORE_POSTCODE.match(postcode):
            raise forms.ValidationError(POSTCODE_ERROR, code="invalid")
        return postcode

    def clean_phone_number_field(self, field_name):
        number = self.cleaned_data.get(field_name)
        if number in validators.EMPTY_VALUES:
            return ""
        try:
            phone = PhoneNumber.from_string(number, region="SG")
        except phonenumbers.NumberParseException:
            phone = None
        if phone is None or not phone.is_valid() or phone.country_code != 65:
            self.add_error(field_name, PHONE_ERROR)
            return number
        return phone

    def _post_clean(self):
        postcode_refused = self.has_error("postcode")
        super()._post_clean()
        if postcode_refused:
            # Oscar's address model then says, less clearly, that the postcode is missing.
            self._errors.pop(NON_FIELD_ERRORS, None)


class ShippingAddressForm(SingaporeAddressMixin, checkout_forms.ShippingAddressForm):
    """The delivery address of the checkout: in Singapore."""

    class Meta(checkout_forms.ShippingAddressForm.Meta):
        fields = SINGAPORE_ADDRESS_FIELDS

    def adjust_country_field(self):
        """Offer no country: the mixin sets Singapore, whatever else is marked for shipping."""


class UserAddressForm(SingaporeAddressMixin, address_forms.UserAddressForm):
    """An address of the patient's address book: in Singapore, like the delivery address."""

    class Meta(address_forms.UserAddressForm.Meta):
        fields = SINGAPORE_ADDRESS_FIELDS


class PaymentMethodForm(ErrorTextMixin, forms.Form):
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
    # The total in cents that the Pay button showed: nothing else is ever charged.
    amount = forms.IntegerField(
        min_value=0,
        error_messages={"required": "Please reload the payment page and pay again."},
    )


# A Singapore mobile number: eight digits starting with 8 or 9, with or without +65.
SINGAPORE_MOBILE = re.compile(r"^(?:\+?65)?([89][0-9]{7})$")
MOBILE_ERROR = (
    "Please enter a Singapore mobile number: eight digits starting with 8 or 9, "
    "for example 9123 4567 or +65 9123 4567."
)


class PatientDetailsForm(forms.Form):
    """Who the treatment is for: the patient's name and Singapore mobile number."""

    name = forms.CharField(
        label="Patient's full name",
        max_length=255,
        error_messages={"required": "Please enter the patient's full name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label="Mobile number",
        max_length=32,
        help_text="A Singapore mobile number, so that the clinic can call to book your sessions.",
        error_messages={"required": "Please enter a mobile number the clinic can call."},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Please enter the patient's full name.", code="required")
        return name

    def clean_phone(self) -> str:
        """Return the number as +65 and eight digits (how the front desk searches it)."""
        digits = re.sub(r"[\s\-().]", "", self.cleaned_data["phone"])
        match = SINGAPORE_MOBILE.match(digits)
        if match is None:
            raise forms.ValidationError(MOBILE_ERROR, code="invalid")
        return f"+65{match.group(1)}"
