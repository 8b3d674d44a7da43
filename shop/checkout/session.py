"""Oscar's checkout session mixin, whose basket checks a GET answers from a kept record.

Every checkout view (Oscar's and the shop's: Oscar loads this mixin by its path) asks
"basket not empty" and "basket valid" first. On a GET a fresh record of the basket
(`shop/checkout/kept.py`: same basket version and page-cache generation) answers
them, and what the steps read of the basket besides (delivered or not, a treatment
or not); otherwise Oscar's checks run on the basket loaded from the database, and a
basket that passes is recorded. A view that sets `kept_checks = False` (the pay
views) always runs Oscar's checks.

`KeptContentMixin` goes further for the address and payment pages: a repeated GET shows
the page's content kept at its last render (`shop/checkout/kept.py`), so neither the
basket nor the forms are loaded or rendered again.
"""

from django.urls import reverse
from oscar.apps.checkout import exceptions
from oscar.apps.checkout import session as oscar_session

from shop.checkout import patient
from shop.checkout.kept import (
    checkout_content_for,
    checkout_content_keep,
    checkout_content_read,
    checkout_record_keep,
    checkout_record_read,
)


class CheckoutSessionMixin(oscar_session.CheckoutSessionMixin):
    kept_checks = True
    # A step that shows no lines, delivery or totals (the gateway, the patient's details)
    # sets False: its context is built without Oscar's submission, which loads the basket.
    shows_basket = True
    checkout_record = None

    def dispatch(self, request, *args, **kwargs):
        self.checkout_record = checkout_record_read(request) if self.kept_checks else None
        return super().dispatch(request, *args, **kwargs)

    @property
    def kept_facts(self) -> dict | None:
        """Return the fresh record's facts of the basket, or None (Oscar's checks run)."""
        record = self.checkout_record
        return record.facts if record is not None else None

    def check_basket_is_not_empty(self, request):
        if self.kept_facts is None:
            super().check_basket_is_not_empty(request)

    def check_basket_is_valid(self, request):
        if self.kept_facts is not None:
            return
        super().check_basket_is_valid(request)
        basket = request.basket
        if self.checkout_record is not None and not basket.is_empty:
            checkout_record_keep(
                self.checkout_record,
                request,
                {
                    "basket_id": basket.id,
                    "ships": basket.is_shipping_required(),
                    "treatments": patient.basket_has_treatments(basket),
                },
            )

    def skip_unless_basket_requires_shipping(self, request):
        facts = self.kept_facts
        if facts is None:
            super().skip_unless_basket_requires_shipping(request)
        elif not facts["ships"]:
            raise exceptions.PassedSkipCondition(url=reverse("checkout:shipping-method"))

    def basket_ships(self) -> bool:
        """Tell whether the basket is delivered (the steps' delivery address and method)."""
        facts = self.kept_facts
        return facts["ships"] if facts is not None else self.request.basket.is_shipping_required()

    def basket_has_treatments(self) -> bool:
        facts = self.kept_facts
        if facts is not None:
            return facts["treatments"]
        return patient.basket_has_treatments(self.request.basket)

    def get_context_data(self, **kwargs):
        if self.shows_basket:
            ctx = super().get_context_data(**kwargs)
        else:
            ctx = super(oscar_session.CheckoutSessionMixin, self).get_context_data(**kwargs)
        ctx["checkout_ships"] = self.basket_ships()  # the steps' nav
        return ctx


class KeptContentMixin:
    """A checkout page whose repeated GET shows the content kept at its last render.

    Kept while the basket, the catalogue, the checkout session and what `kept_shown`
    returns are unchanged (`shop/checkout/kept.py`); the template marks the content.
    """

    kept_page = ""  # the name of the page's kept content
    kept_values = ()  # the context values kept with it (for the view's readers)
    _kept = None

    def kept_shown(self) -> list:
        """Return what the page shows besides the basket and the checkout session."""
        return []

    def kept_context(self) -> dict:
        """Return what the page around the content needs."""
        return {}

    def kept_content(self):
        if self._kept is None:
            read = self.kept_checks and self.request.method == "GET"
            self._kept = (
                checkout_content_read(
                    self.request, self.checkout_record, self.kept_page, self.kept_shown()
                )
                if read
                else None,
            )
        return self._kept[0]

    def kept_response(self):
        """Return the page shown from its kept content, or None when it is to be rendered."""
        kept = self.kept_content()
        if kept is None or kept.html is None:
            return None
        context = {
            "view": self,
            "checkout_ships": self.basket_ships(),
            "kept_checkout_content": checkout_content_for(self.request, kept.html),
            **self.kept_context(),
            **kept.values,
        }
        return self.response_class(self.request, [self.template_name], context)

    def keep_rendered(self, response):
        """Keep the content of a page rendered from the basket once it is rendered."""
        kept = self.kept_content()
        if kept is not None and response.status_code == 200:
            request, names = self.request, self.kept_values
            response.add_post_render_callback(
                lambda page: checkout_content_keep(
                    kept,
                    request,
                    page.content.decode(),
                    {name: page.context_data.get(name) for name in names},
                )
            )
        return response
