"""The checkout's payment step: Stripe PaymentIntents confirmed on the server.

The payment page shows the order and a card field (Stripe.js). The browser
turns the card into a payment method and posts its id to `pay`; the shop
freezes the basket, creates or updates its one PaymentIntent, attaches the
card and confirms it. When the bank wants 3-D Secure the browser completes it
and posts to `pay-resume`, where the shop re-reads the intent. Either way the
order is placed only from a PaymentIntent Stripe says is paid.
"""

from django import http
from django.contrib import messages
from django.urls import reverse
from oscar.apps.checkout import views
from oscar.core.loading import get_class, get_classes, get_model
from oscar.templatetags.currency_filters import currency

from shop.checkout import patient, recovery
from shop.checkout.forms import PaymentMethodForm
from shop.checkout.payment_page import (  # noqa: F401  (checkout views Oscar loads from here)
    PaymentDetailsView,
    nothing_to_pay_text,
)
from shop.checkout.steps import (  # noqa: F401  (checkout views Oscar loads from here)
    PATIENT_DETAILS_MISSING,
    IndexView,
    PatientDetailsRequiredMixin,
    PatientDetailsView,
    ShippingAddressView,
    UserAddressUpdateView,
)
from shop.core.basket_summary import basket_summary_bump
from shop.core.money import to_cents
from shop.payments import facade

UnableToTakePayment, PaymentError = get_classes(
    "payment.exceptions", ["UnableToTakePayment", "PaymentError"]
)

Basket = get_model("basket", "Basket")
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")


class PayView(PaymentDetailsView):
    """Take payment with the posted payment method id and answer in JSON."""

    http_method_names = ["post"]
    # The patient's details are checked in `post`, answered in JSON like the rest.
    pre_conditions = views.PaymentDetailsView.pre_conditions
    # A payment is built from the basket in the database: Oscar's checks, never a record.
    kept_checks = False

    placed = False

    def dispatch(self, request, *args, **kwargs):
        """Answer a database outage with a 503 (try again); a placed order with its page.

        Every answer but a placed order's names the basket in the payment cookie, so
        the next visit settles what this request may leave half-way.
        """
        try:
            response = self._answer(request, *args, **kwargs)
        except recovery.OUTAGE_ERRORS as error:
            response = recovery.database_unavailable(request, error)
        if self.placed:
            recovery.forget_payment(request, response)
        else:
            recovery.remember_payment(response, recovery.checkout_basket_id(request))
        return response

    def _answer(self, request, *args, **kwargs):
        order = recovery.order_of_submitted_basket(request)
        if order is not None:
            # The webhook placed it while the browser was away: show its thank-you page.
            self.checkout_session = CheckoutSessionData(request)
            return self.json_for_order(order)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        details = patient.patient_details(request=request, checkout_session=self.checkout_session)
        if details is None and patient.basket_has_treatments(request.basket):
            return http.JsonResponse(
                {
                    "error": PATIENT_DETAILS_MISSING,
                    "redirect": reverse("checkout:patient-details"),
                },
                status=400,
            )
        form = PaymentMethodForm(request.POST)
        if not form.is_valid():
            return http.JsonResponse({"error": form.error_text()}, status=400)
        submission = self.build_submission()
        basket, total = submission["basket"], submission["order_total"]
        if total is None:
            return http.JsonResponse(
                {"error": "Please choose a delivery method.", "redirect": self._back()},
                status=400,
            )
        shown = form.cleaned_data["amount"]
        if shown != to_cents(total.incl_tax):
            # Never take more (or other) than the Pay button said: show the new total first.
            messages.warning(
                request,
                f"Your basket has changed: the total is now "
                f"{currency(total.incl_tax, total.currency)}. Please check it and pay again.",
            )
            return http.JsonResponse(
                {
                    "error": "Your basket has changed. Please check the new total.",
                    "redirect": reverse("checkout:payment-details"),
                },
                status=409,
            )
        if not facade.payment_possible(total_cents=to_cents(total.incl_tax)):
            # Stripe would refuse it: no frozen basket, no PaymentIntent.
            return http.JsonResponse(
                {"error": nothing_to_pay_text(to_cents(total.incl_tax))}, status=400
            )
        order_number = str(self.generate_order_number(basket))
        self.checkout_session.set_order_number(order_number)
        checkout = facade.checkout_details(
            user=request.user,
            guest_email=submission["order_kwargs"].get("guest_email", ""),
            shipping_address=submission["shipping_address"],
            shipping_method_code=submission["shipping_method"].code,
            patient=details,
        )
        self.freeze_basket(basket)
        self.checkout_session.set_submitted_basket(basket)
        if basket.status == Basket.SUBMITTED:
            # Another tab of this checkout was quicker: show the order it placed.
            order = facade.order_for_basket(basket_id=basket.pk)
            if order is not None:
                return self.json_for_order(order)
            return http.JsonResponse({"redirect": reverse("basket:summary")}, status=409)
        try:
            intent_id = self.handle_payment(
                order_number,
                total,
                basket=basket,
                checkout=checkout,
                payment_method=form.cleaned_data["payment_method"],
            )
        except facade.AuthenticationRequired as needed:
            return http.JsonResponse(
                {"action": "authenticate", "client_secret": needed.client_secret}
            )
        except facade.OutOfStock as short:
            self.restore_frozen_basket()
            messages.error(request, str(short))
            return http.JsonResponse(
                {"error": str(short), "redirect": reverse("basket:summary")}, status=409
            )
        except (UnableToTakePayment, PaymentError) as error:
            self.restore_frozen_basket()
            return http.JsonResponse({"error": str(error)}, status=402)
        return self.order_response(intent_id)

    def freeze_basket(self, basket):
        """Freeze the basket unless another tab has frozen or ordered it meanwhile."""
        Basket.objects.filter(pk=basket.pk, status=Basket.OPEN).update(status=Basket.FROZEN)
        # An update sends no signal: the kept basket page and header summary go stale here.
        basket_summary_bump(basket_ids=[basket.pk], owner_ids=[basket.owner_id])
        basket.status = Basket.objects.values_list("status", flat=True).get(pk=basket.pk)

    def handle_payment(self, order_number, total, **kwargs):
        """Take the payment through Stripe; return the paid PaymentIntent's id."""
        return facade.payment_take(
            basket=kwargs["basket"],
            order_number=order_number,
            total=total.incl_tax,
            checkout=kwargs["checkout"],
            payment_method=kwargs["payment_method"],
            return_url=self.request.build_absolute_uri(reverse("checkout:payment-details")),
        )

    def order_response(self, intent_id: str) -> http.JsonResponse:
        """Place (or find) the paid intent's order and send the browser to the thank-you page."""
        try:
            order = facade.order_for_payment(intent_id=intent_id)
        except (UnableToTakePayment, PaymentError) as error:
            self.restore_frozen_basket()
            return http.JsonResponse({"error": str(error)}, status=402)
        return self.json_for_order(order)

    def json_for_order(self, order) -> http.JsonResponse:
        """Finish the checkout of a placed order and send the browser to its thank-you page."""
        response = self.handle_successful_order(order)
        self.placed = True
        return http.JsonResponse({"redirect": response.url})

    def _back(self) -> str:
        return reverse("checkout:shipping-method")


class PayResumeView(PayView):
    """Finish a payment after 3-D Secure: re-read the PaymentIntent and place the order."""

    # The basket is frozen while the bank authenticates: only the session's checkout counts.
    pre_conditions = []

    def get_skip_conditions(self, request):
        return []

    def post(self, request, *args, **kwargs):
        basket_id = self.checkout_session.get_submitted_basket_id()
        if basket_id is None:
            return http.JsonResponse(
                {"error": "There is no payment to finish.", "redirect": reverse("basket:summary")},
                status=400,
            )
        try:
            intent_id = facade.payment_resume(basket_id=basket_id)
        except facade.AuthenticationRequired as needed:
            return http.JsonResponse(
                {"action": "authenticate", "client_secret": needed.client_secret}
            )
        except (UnableToTakePayment, PaymentError) as error:
            self._give_up(basket_id)
            return http.JsonResponse({"error": str(error)}, status=402)
        return self.order_response(intent_id)

    def _give_up(self, basket_id: int) -> None:
        facade.payment_abandon(basket_id=basket_id)
        self.restore_frozen_basket()
