"""Oscar's account pages, with the shop's changes.

- The guest's order lookup ignores the email's case.
- The address book asks for Singapore addresses like the checkout.
- Nothing changes on a GET: signing out and choosing a default address answer only POST
  (a link or an <img> on another site must not act for the patient); a GET of an order
  line is a 404 (Oscar has no page for it, only the "buy again" POST).
"""

from django.http import Http404
from oscar.apps.customer import views
from oscar.core.loading import get_class

from shop.customer import selectors

UserAddressForm = get_class("checkout.forms", "UserAddressForm")


class GuestOrderLookupMixin:
    """Find the guest's order by number, hash and the email typed, whatever its case."""

    def get_object(self):
        return selectors.order_for_guest(
            number=self.order_number, verification_hash=self.hash, email=self.email
        )


class AnonymousOrderFormView(GuestOrderLookupMixin, views.AnonymousOrderFormView):
    """Ask a guest for the order's email before showing its status."""


class AnonymousOrderDetailView(GuestOrderLookupMixin, views.AnonymousOrderDetailView):
    """Show a guest's order status once the email matched."""


class AddressCreateView(views.AddressCreateView):
    """Add a Singapore address to the patient's address book."""

    form_class = UserAddressForm


class AddressUpdateView(views.AddressUpdateView):
    """Edit an address of the patient's address book, in Singapore."""

    form_class = UserAddressForm


class AddressChangeStatusView(views.AddressChangeStatusView):
    """Make an address the default for delivery or billing (POST only)."""

    http_method_names = ["post", "options"]


class LogoutView(views.LogoutView):
    """Sign the patient out (POST only: a GET from another site must not sign anyone out)."""

    http_method_names = ["post", "options"]


class OrderLineView(views.OrderLineView):
    """Buy an order line again (POST); there is no page of one line."""

    def get(self, request, *args, **kwargs):
        raise Http404("An order line has no page of its own.")
