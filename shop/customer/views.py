"""Oscar's account pages: the guest's order lookup ignores the email's case, and the
address book asks for Singapore addresses like the checkout."""

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
