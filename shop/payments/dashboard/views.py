"""Staff pages of the payments: the payments that did not become an order, refunds."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_model

from shop.payments import refunds, selectors
from shop.payments.forms import RefundForm

Order = get_model("order", "Order")


class ProblemListView(ListView):
    """List the payments taken that did not become an order, for staff to resolve."""

    template_name = "oscar/dashboard/payments/problems.html"
    context_object_name = "intents"

    def get_queryset(self):
        return selectors.payment_intents_with_problems()


# Not one request-wide transaction: Stripe's refund and its record are one step of their own.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class OrderRefundView(View):
    """Refund part or all of an order through Stripe, from its dashboard page (POST only)."""

    http_method_names = ["post"]

    def post(self, request, number: str):
        order = get_object_or_404(Order, number=number)
        form = RefundForm(request.POST, order=order)
        if form.is_valid():
            amount = form.cleaned_data["amount"]
            try:
                refunds.refund_create(order=order, amount=amount, user=request.user)
            except refunds.RefundRefused as refused:
                messages.error(request, str(refused))
            else:
                # Typed as "1e2" the amount is still S$100.00 to the reader.
                messages.success(request, f"Refunded S${amount:.2f} through Stripe.")
        else:
            messages.error(request, form.error_text())
        return redirect("dashboard:order-detail", number=order.number)
