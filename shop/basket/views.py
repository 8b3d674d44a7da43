"""Oscar's basket views; the basket page applies the offers once a request.

Oscar loads the basket's views from here (`get_class("basket.views", ...)`), falling
back to its own for the views not defined here.
"""

from oscar.apps.basket import views

from shop.basket.offers import basket_with_offers, candidate_offers


class BasketView(views.BasketView):
    """The basket page: the offers are fetched and applied once, the upsell messages
    are worked out from those same offers (Oscar asked for them a second time)."""

    def get(self, request, *args, **kwargs):
        basket_with_offers(request)
        return super().get(request, *args, **kwargs)

    def get_upsell_messages(self, basket):
        applied_offers = list(basket.offer_applications.offers.values())
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in candidate_offers(basket, self.request)
            if offer.is_condition_partially_satisfied(basket) and offer not in applied_offers
        ]
