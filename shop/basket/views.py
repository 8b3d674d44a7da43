"""Oscar's basket views; the basket page applies the offers once a request, and a repeated
view of an unchanged basket answers from its kept content (`shop/basket/kept.py`).

Oscar loads the basket's views from here (`get_class("basket.views", ...)`), falling
back to its own for the views not defined here.
"""

from django.template.loader import render_to_string
from oscar.apps.basket import views

from shop.basket.kept import basket_content_for, basket_content_keep, basket_content_read
from shop.basket.offers import basket_with_offers, candidate_offers

CONTENT_TEMPLATE = "oscar/basket/partials/basket_content.html"


class BasketView(views.BasketView):
    """The basket page: the offers are fetched and applied once, the upsell messages
    are worked out from those same offers (Oscar asked for them a second time); on a GET
    the content is kept, and shown again while the basket and the catalogue are unchanged.
    """

    kept = None

    def get(self, request, *args, **kwargs):
        kept = basket_content_read(request)
        if kept is not None and kept.html is not None:
            # No formset, shipping or totals: the page around the content needs none of
            # them, and the basket (in the context, lazily) is not loaded.
            content = basket_content_for(request, kept.html)
            context = {"view": self, "kept_basket_content": content}
            return self.response_class(request, [self.template_name], context)
        self.kept = kept
        basket_with_offers(request)
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        if self.kept is not None and "kept_basket_content" not in context:
            context.setdefault("basket", self.request.basket)
            html = render_to_string(CONTENT_TEMPLATE, context, request=self.request)
            basket_content_keep(self.kept, self.request, html)
            context["kept_basket_content"] = basket_content_for(self.request, html)
        return super().render_to_response(context, **response_kwargs)

    def get_upsell_messages(self, basket):
        applied_offers = list(basket.offer_applications.offers.values())
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in candidate_offers(basket, self.request)
            if offer.is_condition_partially_satisfied(basket) and offer not in applied_offers
        ]
