"""Every URL pattern of the shop, filled with the ids of real objects.

`url_patterns()` walks the URL configuration (so a page added later is in it);
`world_create()` makes one object of every kind the patterns take, owned by a patient
("owner"); `url_fill()` turns a pattern into a URL for those objects. The security
tests (GET changes nothing; who may open what) are built on these.
"""

import datetime
import re
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from oscar.core.loading import get_model

from shop.accounting.models import ExportJob
from shop.bookings.models import Booking, Practitioner
from shop.bookings.selectors import credit_booking_token
from shop.content.models import Article, Condition, Page
from shop.invoices.models import DocumentArchive
from shop.invoices.services import document_render
from shop.notifications.models import Confirmation
from shop.packages.claims import claim_token_make
from shop.packages.reminders import reminders_off_url
from shop.packages.services import credit_redeem
from shop.privacy.models import DeletionRequest
from tests.factories import UserFactory, paid_order_create, site_discount_create

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductClass = get_model("catalogue", "ProductClass")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
Option = get_model("catalogue", "Option")
ProductReview = get_model("reviews", "ProductReview")
Partner = get_model("partner", "Partner")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
WishList = get_model("wishlists", "WishList")
ProductAlert = get_model("customer", "ProductAlert")
Notification = get_model("communication", "Notification")
Email = get_model("communication", "Email")
CommunicationEventType = get_model("communication", "CommunicationEventType")
Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")
Range = get_model("offer", "Range")
WeightBased = get_model("shipping", "WeightBased")
WeightBand = get_model("shipping", "WeightBand")

_CONVERTER = re.compile(r"(?<!P)<(?:\w+:)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>")


def url_patterns() -> list[tuple[str, str | None, list[str]]]:
    """Return (route, URL name, argument names) of every pattern, nested ones included."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, route, ns)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                args = [m[1] for m in _CONVERTER.finditer(route)] + _GROUP.findall(route)
                found.append((route, name, args))

    walk(get_resolver(), "", None)
    return found


def world_create(*, owner, other=None) -> dict:
    """Make one object of each kind the URL patterns take; the patient's ones belong to owner."""
    order = paid_order_create(items=[("TUI-5", 1), ("WP-MOXA", 2)], user=owner)
    guest_order = paid_order_create(items=[("TUI-5", 1)], guest_email="guest@example.com")
    product = Product.objects.get(slug="tuina-acupressure")
    category = Category.objects.first()
    address = UserAddress.objects.create(
        user=owner,
        first_name="Mei",
        last_name="Tan",
        line1="10 Orchard Road",
        postcode="238830",
        phone_number="+6591234567",
        country=Country.objects.get(iso_3166_1_a2="SG"),
    )
    wishlist = WishList.objects.create(owner=owner, name="Mine")
    wishlist.add(product)
    wishlist_two = WishList.objects.create(owner=owner, name="Other")
    alert = ProductAlert.objects.create(
        user=owner, product=product, status=ProductAlert.ACTIVE, key="k" * 32
    )
    unconfirmed = ProductAlert.objects.create(
        email="alert@example.com", product=product, status=ProductAlert.UNCONFIRMED, key="u" * 32
    )
    partner = Partner.objects.first()
    staff_user = other or UserFactory(email="linked@example.com")
    condition = Condition.objects.create(name="Stiff neck", slug="stiff-neck", summary="Neck.")
    article = Article.objects.create(title="Necks", slug="necks", summary="Necks.", body="Text.")
    offer_range = Range.objects.create(name="Crawl range", slug="crawl-range")
    offer = site_discount_create(percent=5)
    voucher_set = VoucherSet.objects.create(
        name="Crawl set",
        count=1,
        code_length=10,
        start_datetime="2026-01-01T00:00Z",
        end_datetime="2030-01-01T00:00Z",
    )
    method = WeightBased.objects.create(name="By weight", code="by-weight")
    review = ProductReview.objects.create(
        product=product, user=owner, title="Good", body="Helped.", score=5
    )
    email_type, _ = CommunicationEventType.objects.get_or_create(
        code="ORDER_PLACED", defaults={"name": "Order placed", "category": "Order related"}
    )
    return {
        **_treatments_world(
            owner=owner, order=order, guest_order=guest_order, staff_user=staff_user
        ),
        "owner": owner,
        "order": order,
        "guest_order": guest_order,
        "line": order.lines.first(),
        "note": order.notes.create(message="Called the patient.", note_type="Info"),
        "product": product,
        "category": category,
        "product_class": product.get_product_class(),
        "option_group": AttributeOptionGroup.objects.create(name="Sizes"),
        "option": Option.objects.create(name="Note", code="note"),
        "address": address,
        "wishlist": wishlist,
        "wishlist_two": wishlist_two,
        "wishlist_line": wishlist.lines.first(),
        "alert": alert,
        "unconfirmed_alert": unconfirmed,
        "notification": Notification.objects.create(
            recipient=owner, subject="Your order", body="Sent."
        ),
        "email": Email.objects.create(
            user=owner, email=owner.email, subject="Your order", body_text="Thanks."
        ),
        "email_type": email_type,
        "partner": partner,
        "staff_user": staff_user,
        "flatpage": _flatpage(),
        "condition": condition,
        "article": article,
        "range": offer_range,
        "offer": offer,
        "voucher": Voucher.objects.create(
            name="Crawl voucher",
            code="CRAWL10",
            start_datetime="2026-01-01T00:00Z",
            end_datetime="2030-01-01T00:00Z",
        ),
        "voucher_set": voucher_set,
        "method": method,
        "band": WeightBand.objects.create(method=method, upper_limit=Decimal("5"), charge=5),
        "review": review,
        "job": ExportJob.objects.create(
            user=staff_user, date_from="2026-11-01", date_to="2026-11-30", per="order"
        ),
        "deletion_request": DeletionRequest.objects.create(user=owner),
        "confirmation": Confirmation.objects.filter(order=order).first()
        or Confirmation.objects.create(order=order, kind=Confirmation.Kind.ORDER_PLACED),
    }


def _treatments_world(*, owner, order, guest_order, staff_user) -> dict:
    """Return the owner's package credit, a redemption, a booking, a tax document, an archive."""
    credit = order.credits.get()
    event = credit_redeem(credit_id=credit.pk, by=staff_user, note="Session one.")
    practitioner = Practitioner.objects.filter(active=True).order_by("pk").first()
    start = datetime.datetime(2030, 1, 7, 10, tzinfo=datetime.UTC)
    booking = Booking.objects.create(
        credit=credit,
        practitioner=practitioner,
        location=practitioner.location,
        start=start,
        end=start + datetime.timedelta(minutes=credit.session_minutes),
        blocked_until=start + datetime.timedelta(minutes=credit.session_minutes + 10),
        booked_by=owner,
    )
    documents = [
        order.documents.order_by("pk").first(),
        guest_order.documents.order_by("pk").first(),
    ]
    for document in documents:  # the worker renders each PDF once, after the order
        document_render(document_id=document.pk)
    return {
        "credit": credit,
        "credit_event": event,
        "practitioner": practitioner,
        "booking": booking,
        "booking_token": credit_booking_token(code=credit.code),
        "claim_token": claim_token_make(user=owner),
        "reminders_token": reminders_off_url(email=owner.email).rstrip("/").rsplit("/", 1)[1],
        "document": documents[0],
        "guest_document": documents[1],
        "archive": DocumentArchive.objects.create(month="2026-11-01", requested_by=staff_user),
        "content_page": Page.objects.order_by("pk").first(),
        "booking_action": "attended",
    }


def _flatpage():
    page = FlatPage.objects.create(url="/about-crawl/", title="About", content="About us.")
    page.sites.add(Site.objects.get_current())
    return page


# (route prefix, kwarg) -> key of the world, the first matching prefix wins.
_BY_PREFIX = [
    ("basket/vouchers/", "pk", "voucher"),
    ("basket/add/", "pk", "product"),
    ("checkout/user-address/", "pk", "address"),
    ("accounts/addresses/", "pk", "address"),
    ("accounts/notifications/", "pk", "notification"),
    ("accounts/alerts/create/", "pk", "product"),
    ("accounts/alerts/cancel/key/", "key", "unconfirmed_alert"),
    ("accounts/alerts/confirm/", "key", "unconfirmed_alert"),
    ("accounts/alerts/", "pk", "alert"),
    ("catalogue/category/", "pk", "category"),
    ("catalogue/(?P<product_slug>[\\w-]*)_(?P<product_pk>\\d+)/reviews/", "pk", "review"),
    ("catalogue/(", "pk", "product"),
    ("dashboard/catalogue/products/", "pk", "product"),
    ("dashboard/catalogue/categories/", "pk", "category"),
    ("dashboard/catalogue/product-type", "pk", "product_class"),
    ("dashboard/catalogue/attribute-option-group/", "pk", "option_group"),
    ("dashboard/catalogue/option/", "pk", "option"),
    ("dashboard/users/alerts/", "pk", "alert"),
    ("dashboard/users/", "pk", "owner"),
    ("dashboard/pages/", "pk", "flatpage"),
    ("dashboard/partners/", "pk", "partner"),
    ("dashboard/offers/", "pk", "offer"),
    ("dashboard/ranges/", "pk", "range"),
    ("dashboard/reviews/", "pk", "review"),
    ("dashboard/vouchers/sets/", "pk", "voucher_set"),
    ("dashboard/vouchers/", "pk", "voucher"),
    ("dashboard/shipping/weight-based/<int:method_pk>/bands/", "pk", "band"),
    ("dashboard/shipping/", "pk", "method"),
    ("dashboard/content/conditions/", "pk", "condition"),
    ("dashboard/content/articles/", "pk", "article"),
    ("dashboard/accounting/documents/archives/", "pk", "archive"),
    ("dashboard/accounting/", "pk", "job"),
    ("dashboard/confirmations/", "pk", "confirmation"),
    ("dashboard/privacy/", "pk", "deletion_request"),
    ("dashboard/content/pages/", "pk", "content_page"),
    ("dashboard/bookings/practitioners/", "pk", "practitioner"),
    ("dashboard/bookings/", "pk", "booking"),
    ("dashboard/bookings/", "action", "booking_action"),
    ("dashboard/sessions/", "code", "credit"),
    ("accounts/treatments/claim/", "token", "claim_token"),
    ("accounts/treatments/reminders-off/", "token", "reminders_token"),
    ("accounts/treatments/", "code", "credit"),
    ("book/", "token", "booking_token"),
    ("book/", "booking_id", "booking"),
    ("documents/guest/", "order_number", "guest_order"),
    ("documents/guest/", "pk", "guest_document"),
    ("documents/", "pk", "document"),
    ("(?P<slug>about", "slug", "content_page"),
    ("conditions/", "slug", "condition"),
    ("articles/", "slug", "article"),
    ("offers/", "slug", "offer"),
    ("catalogue/ranges/", "slug", "range"),
    ("dashboard/comms/", "slug", "email_type"),
    ("accounts/order-status", "order_number", "guest_order"),
    ("wishlists/", "key", "wishlist"),
    ("accounts/wishlists/", "key", "wishlist"),
]
_BY_NAME = {
    "order_number": "order",
    "number": "order",
    "line_id": "line",
    "product_pk": "product",
    "parent_pk": "product",
    "parent": "category",
    "user_pk": "staff_user",
    "partner_pk": "partner",
    "method_pk": "method",
    "line_pk": "wishlist_line",
    "email_id": "email",
    "note_id": "note",
    "key": "wishlist",
    "event_id": "credit_event",
}


def _value(world: dict, route: str, arg: str) -> str:
    for prefix, name, key in _BY_PREFIX:
        if name == arg and route.replace("^", "").startswith(prefix):
            return _attr(world[key], arg)
    if arg in _BY_NAME:
        return _attr(world[_BY_NAME[arg]], arg)
    owner, product = world["owner"], world["product"]
    special = {
        "product_slug": product.slug,
        "category_slug": world["category"].full_slug,
        "product_class_slug": world["product_class"].slug,
        "hash": world["guest_order"].verification_hash(),
        "to_key": world["wishlist_two"].key,
        "action": "default_for_billing",
        "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
        "token": default_token_generator.make_token(owner),
        "content_type_id": str(ContentType.objects.get_for_model(Product).pk),
        "id": str(owner.pk),
        "path": "crawl-missing.jpg",
        "parent_id": world["category"].pk,
        "app_label": "order",
        "url": "no-such-page/",
    }
    if arg in special:
        return str(special[arg])
    if arg == "object_id" and route.startswith("admin/") and not route.startswith("admin/r/"):
        app_label, model_name = route.split("/")[1:3]
        model = apps.get_model(app_label, model_name)
        first = model.objects.order_by("pk").first()
        return str(first.pk if first else 1)
    if arg == "object_id":
        return str(product.pk)
    raise KeyError(f"no value for <{arg}> in {route}: add it to tests/core/urlmap.py")


def _attr(obj, arg: str) -> str:
    if isinstance(obj, str):
        return obj
    if arg in ("order_number", "number"):
        return obj.number
    if arg in ("key", "to_key"):
        return obj.key
    if arg == "code":
        return obj.code
    if arg == "slug":
        return getattr(obj, "slug", None) or obj.code
    return str(obj.pk)


def url_fill(route: str, args: list[str], world: dict) -> str:
    """Return the URL of a route with every argument taken from the world's objects."""
    url = route
    for arg in args:
        value = _value(world, route, arg)
        url = re.sub(rf"(?<!P)<(?:\w+:)?{arg}>", value, url)
        url = re.sub(rf"\(\?P<{arg}>(?:[^()]|\([^()]*\))*\)", value, url)
    url = url.replace("^", "").replace("$", "")
    return "/" + url
