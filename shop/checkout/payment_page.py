"""The checkout's payment page: the order, its delivery and totals, and the card field.

The page is shown from the basket the first time, and from the content kept then
(`shop/checkout/kept.py`) while the basket, the catalogue and the checkout session are
unchanged. Paying is `shop/checkout/views.py`'s `pay`.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from oscar.apps.checkout import views
from oscar.templatetags.currency_filters import currency

from shop.checkout import recovery
from shop.checkout.session import KeptContentMixin
from shop.checkout.steps import PatientDetailsRequiredMixin
from shop.core.money import from_cents, to_cents
from shop.payments import facade


def nothing_to_pay_text(total_cents: int = 0) -> str:
    """Return what the payment step tells a patient whose order cannot be paid by card.

    That is an order costing nothing, or less than the smallest amount Stripe charges.
    """
    if total_cents <= 0:
        why = "There is nothing to pay for this order, so it cannot be placed online."
    else:
        why = (
            f"This order's total of {currency(from_cents(total_cents), 'SGD')} is less than "
            f"the {currency(from_cents(facade.MINIMUM_CHARGE_CENTS), 'SGD')} we can take by "
            "card, so it cannot be paid online."
        )
    return f"{why} Please call us on {settings.CLINIC_PHONE} and we will book it for you."


class PaymentDetailsView(PatientDetailsRequiredMixin, KeptContentMixin, views.PaymentDetailsView):
    """Show the order and the card field; there is no separate preview step.

    A repeated view of an unchanged basket and checkout shows the content kept when it was
    last rendered (`shop/checkout/kept.py`): no basket, lines, offers or totals loaded.
    """

    template_name = "oscar/checkout/payment_details.html"
    pre_conditions = views.PaymentDetailsView.pre_conditions + [
        "check_patient_details_are_captured"
    ]
    kept_page = "payment"
    kept_values = ("order_total_cents", "nothing_to_pay")
    _options = None

    def kept_context(self) -> dict:
        if self._options is None:
            self._options = facade.payment_page_options()
        return self._options

    def kept_shown(self) -> list:
        return sorted(self.kept_context().items())

    def check_shipping_data_is_captured(self, request):
        kept = self.kept_content()
        if kept is None or kept.html is None:
            super().check_shipping_data_is_captured(request)
        # else: checked when the content was kept, for this very basket and checkout session

    def get(self, request, *args, **kwargs):
        # A payment left half-way was settled before this view (shop.checkout.recovery).
        if self.preview:
            return redirect("checkout:payment-details")
        response = self.kept_response()
        if response is not None:
            basket_id = self.kept_content().record.facts["basket_id"]
        else:
            response = self.keep_rendered(super().get(request, *args, **kwargs))
            basket_id = recovery.checkout_basket_id(request)
        if response.status_code == 200:
            # Its `pay` may not answer (a restart, a closed tab): the next visit looks.
            recovery.remember_payment(response, basket_id)
        return response

    def get_skip_conditions(self, request):
        # Oscar skips to the preview when there is nothing to pay, and the preview comes
        # back here: the patient would go round in circles. The page says why instead.
        return []

    def post(self, request, *args, **kwargs):
        return redirect("checkout:payment-details")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            self.kept_context(),
            pay_url=reverse("checkout:pay"),
            pay_resume_url=reverse("checkout:pay-resume"),
        )
        if ctx.get("order_total") is not None:
            cents = to_cents(ctx["order_total"].incl_tax)
            ctx["order_total_cents"] = cents
            ctx["nothing_to_pay"] = not facade.payment_possible(total_cents=cents)
            ctx["nothing_to_pay_text"] = nothing_to_pay_text(cents)
        return ctx

    def send_order_placed_email(self, order):
        """Send nothing here: the worker sends the confirmation once the order is committed."""
