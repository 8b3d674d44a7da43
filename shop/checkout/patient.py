"""Who a treatment checkout is for: the patient's name and mobile number.

A guest gives them at the checkout (kept in the checkout session); a signed-in
patient gives them once and they are kept in the account. Either way they go
into the PaymentIntent's `checkout` record, so an order placed by the webhook
gets them as well, and the package credits carry them.
"""

from django.http import HttpRequest
from oscar.core.loading import get_class

from shop.customer import selectors as customer_selectors
from shop.customer import services as customer_services
from shop.packages.purchases import TREATMENT_CLASS

CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")

NAMESPACE = "patient"


def basket_has_treatments(basket) -> bool:
    """Tell whether the basket holds a treatment package."""
    for line in basket.all_lines():
        product_class = line.product.get_product_class()
        if product_class is not None and product_class.slug == TREATMENT_CLASS:
            return True
    return False


def patient_details(*, request: HttpRequest, checkout_session) -> dict | None:
    """Return the patient's name and phone for this checkout, or None when not given yet."""
    name = checkout_session._get(NAMESPACE, "name")
    phone = checkout_session._get(NAMESPACE, "phone")
    if name and phone:
        return {"name": name, "phone": phone}
    return customer_selectors.patient_details_for_user(user=request.user)


def patient_details_needed(
    *, request: HttpRequest, checkout_session, basket=None, has_treatments: bool | None = None
) -> bool:
    """Tell whether the checkout must still ask who the treatment is for.

    `has_treatments`, when known (the checkout's kept record), spares loading the basket.
    """
    if has_treatments is None:
        has_treatments = basket_has_treatments(basket)
    if not has_treatments:
        return False
    return patient_details(request=request, checkout_session=checkout_session) is None


def patient_details_keep(*, request: HttpRequest, checkout_session, name: str, phone: str):
    """Keep the details for this checkout, and in the account of a signed-in patient."""
    checkout_session._set(NAMESPACE, "name", name)
    checkout_session._set(NAMESPACE, "phone", phone)
    if request.user.is_authenticated:
        customer_services.patient_profile_save(user=request.user, name=name, phone=phone)
