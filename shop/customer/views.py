"""Oscar's account pages, with the guest's order lookup ignoring the email's case."""

from oscar.apps.customer import views

from shop.customer import selectors


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
