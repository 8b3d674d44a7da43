"""The checkout's first steps: the gateway, who a treatment is for, the delivery address.

A basket with a treatment package asks the patient's name and Singapore
mobile number once: a guest at every checkout, a signed-in patient until
the account keeps them. The payment page is not shown before they are known.
"""

from django import http
from django.urls import reverse, reverse_lazy
from django.views import generic
from oscar.apps.checkout import exceptions
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_classes

from shop.checkout import patient
from shop.checkout.forms import PatientDetailsForm, UserAddressForm

CheckoutSessionMixin, KeptContentMixin = get_classes(
    "checkout.session", ["CheckoutSessionMixin", "KeptContentMixin"]
)

PATIENT_DETAILS_MISSING = "Please tell us who the treatment is for and how the clinic can call."


class PatientDetailsRequiredMixin:
    """A checkout step that needs the patient's details when the basket holds a treatment."""

    def check_patient_details_are_captured(self, request):
        if patient.patient_details_needed(
            request=request,
            checkout_session=self.checkout_session,
            has_treatments=self.basket_has_treatments(),
        ):
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:patient-details"), message=PATIENT_DETAILS_MISSING
            )


class IndexView(oscar_views.IndexView):
    """Oscar's gateway; a treatment basket goes on to the patient's details first.

    The page shows no basket: its checks and the next step come from the checkout's kept
    record when fresh (`shop/checkout/session.py`), so a repeated view loads none.
    """

    shows_basket = False

    def get_success_url(self):
        url = super().get_success_url()
        if str(url) == reverse("checkout:shipping-address") and patient.patient_details_needed(
            request=self.request,
            checkout_session=self.checkout_session,
            has_treatments=self.basket_has_treatments(),
        ):
            return reverse("checkout:patient-details")
        return url


class PatientDetailsView(CheckoutSessionMixin, generic.FormView):
    """Ask the patient's name and Singapore mobile number (kept in the account when signed in)."""

    template_name = "oscar/checkout/patient_details.html"
    form_class = PatientDetailsForm
    shows_basket = False  # a form only: no lines, delivery or totals
    success_url = reverse_lazy("checkout:shipping-address")
    pre_conditions = [
        "check_basket_is_not_empty",
        "check_basket_is_valid",
        "check_user_email_is_captured",
    ]

    def get_initial(self):
        known = patient.patient_details(
            request=self.request, checkout_session=self.checkout_session
        )
        if known:
            return {"name": known["name"], "phone": known["phone"].removeprefix("+65")}
        user = self.request.user
        return {"name": user.get_full_name()} if user.is_authenticated else {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["signed_in"] = self.request.user.is_authenticated
        return ctx

    def form_valid(self, form):
        patient.patient_details_keep(
            request=self.request,
            checkout_session=self.checkout_session,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
        )
        return super().form_valid(form)


class ShippingAddressView(KeptContentMixin, oscar_views.ShippingAddressView):
    """Oscar's address step, answering a saved address that is not the patient's with a 404.

    The page shows the address form and the address book, never the basket: its context
    is built without Oscar's submission (which loads the basket, its lines and offers),
    so a GET answered by the checkout's kept record loads no basket; a repeated one shows
    the form and book kept at the last render while the address book is unchanged.
    """

    shows_basket = False
    kept_page = "address"

    def kept_shown(self) -> list:
        if not self.request.user.is_authenticated:
            return []
        return list(self.get_available_addresses().values())

    def kept_context(self) -> dict:
        return {"form": self.get_form()}  # built (no query), not rendered: for its readers

    def get(self, request, *args, **kwargs):
        response = self.kept_response()
        if response is None:
            response = self.keep_rendered(super().get(request, *args, **kwargs))
        return response

    def get_initial(self):
        # The shop's address form asks no country (always Singapore): Oscar's initial looks
        # the session's country up for its country field.
        initial = self.checkout_session.new_shipping_address_fields()
        if not initial:
            return {}
        return {key: value for key, value in initial.items() if key != "country_id"}

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated and "address_id" in request.POST:
            # Oscar looks the address up unguarded: a tampered id would be a server error.
            address_id = request.POST["address_id"]
            if not (
                address_id.isdigit() and request.user.addresses.filter(pk=int(address_id)).exists()
            ):
                raise http.Http404("No such address in your address book.")
        return super().post(request, *args, **kwargs)


class UserAddressUpdateView(oscar_views.UserAddressUpdateView):
    """Oscar's address book edit from the checkout, with the Singapore address form."""

    form_class = UserAddressForm
