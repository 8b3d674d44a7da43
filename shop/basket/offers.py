"""Load the request's basket with its offers applied once, keeping the offers it was given.

Oscar's BasketMiddleware applies the offers when a view first reads `request.basket`
(reading the basket's vouchers and the site's offers), and the basket page then asks
the Applicator for the same offers again for its upsell messages. A view that wants
the offers too calls `basket_with_offers(request)` before reading the basket: the
basket is loaded as the middleware would (Oscar's `get_basket`: the cookie basket, a
patient's basket, the merge at sign-in), its vouchers come with their offers (and
their conditions and benefits) in one prefetch, the offers are applied once and the
list is kept on the basket (`basket.candidate_offers`) for the upsell messages.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.functional import SimpleLazyObject, empty
from oscar.apps.basket.middleware import BasketMiddleware
from oscar.core.loading import get_class, get_model

Applicator = get_class("offer.applicator", "Applicator")
ConditionalOffer = get_model("offer", "ConditionalOffer")

_middleware = BasketMiddleware(get_response=None)


def _loaded(request) -> bool:
    basket = request.basket
    return not isinstance(basket, SimpleLazyObject) or basket._wrapped is not empty


def _load(request):
    basket = _middleware.get_basket(request)
    basket.strategy = request.strategy
    if basket.id:
        offers = ConditionalOffer.objects.select_related("condition", "benefit")
        prefetch_related_objects([basket], Prefetch("vouchers__offers", queryset=offers))
    if not basket.is_empty:  # as the middleware: an empty basket is given no offers
        applicator = Applicator()
        offers = applicator.get_offers(basket, request.user, request)
        applicator.apply_offers(basket, offers)
        basket.candidate_offers = offers
    return basket


def basket_with_offers(request) -> None:
    """Make `request.basket` load with its offers applied once and kept (if not loaded yet)."""
    if hasattr(request, "basket") and not _loaded(request):
        request.basket = SimpleLazyObject(lambda: _load(request))


def candidate_offers(basket, request) -> list:
    """Return the offers the basket was given, asking the Applicator only if none are kept."""
    offers = getattr(basket, "candidate_offers", None)
    if offers is None:
        offers = Applicator().get_offers(basket, request.user, request)
    return offers
