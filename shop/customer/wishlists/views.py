"""Oscar's wish list pages: adding a product answers only POST."""

from django.http import HttpResponseNotAllowed
from oscar.apps.customer.wishlists import views


class WishListAddProduct(views.WishListAddProduct):
    """Add a product to a wish list (POST only; Oscar also added it on GET)."""

    def dispatch(self, request, *args, **kwargs):
        # Oscar's dispatch creates a wish list before looking at the method: refuse first.
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return super().dispatch(request, *args, **kwargs)


class WishListMoveProductToAnotherWishList(views.WishListMoveProductToAnotherWishList):
    """Move a product to another of the patient's wish lists (POST only)."""

    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
