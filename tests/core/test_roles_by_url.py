"""Who gets which page: every URL pattern, for every role, against a table kept here.

Generated from the URL configuration, so a new page cannot escape it: a pattern missing
from EXPECTED fails, naming it. The ids are of objects that belong to patient A (an
order, an address, a wish list...), so patient B asking for them is someone else asking.
One request per pattern and role, with the test client ("-": not asked, see ADMIN).

Answers: O = 200 (or a redirect elsewhere than sign-in), L = sent to sign in, F = 403,
N = 404, M = 405 (the page only takes POST), B = 400, T = 429.
Roles, in order: anonymous, patient A (owner), patient B, clinic staff, accountant, superuser.
"""

import os

import pytest
from django.test import Client

from tests.core.urlmap import url_fill, url_patterns, world_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "patient_a", "patient_b", "clinic_staff", "accountant", "superuser"]

# Django's admin: superusers only (everyone else is sent to the admin's sign-in). The
# superuser's side of its ~350 pages ("-" here) is opened by test_security_get.py's crawl,
# which fails on any 500; asking again here would double the time of this test.
ADMIN = "LLLLL-"


def _answer(response) -> str:
    code = response.status_code
    if code in (301, 302):
        location = response["Location"]
        return "L" if "login" in location else "O"
    return {200: "O", 403: "F", 404: "N", 405: "M", 400: "B", 429: "T"}.get(code, str(code))


def _expected(route: str) -> str | None:
    if route.startswith("admin/"):
        return EXPECTED.get(route, ADMIN)
    return EXPECTED.get(route)


@pytest.fixture
def clients(catalogue, patient, clinic_staff, accountant):
    users = {
        "patient_a": patient,
        "patient_b": UserFactory(email="patient.b@example.com"),
        "clinic_staff": clinic_staff,
        "accountant": accountant,
        "superuser": UserFactory(email="root@example.com", is_staff=True, is_superuser=True),
    }
    made = {"anonymous": Client()}
    for role, user in users.items():
        made[role] = Client()
        made[role].force_login(user)
        made[role].user = user
    return made


def test_every_pattern_answers_every_role_as_the_table_says(clients, patient):
    world = world_create(owner=patient)
    got, missing = {}, []
    for route, name, args in url_patterns():
        url = url_fill(route, args, world)
        answers = ""
        for role in ROLES:
            if role == "superuser" and route.startswith("admin/"):
                answers += "-"
                continue
            client = clients[role]
            answers += _answer(client.get(url))
            if role != "anonymous" and "_auth_user_id" not in client.session:
                client.force_login(client.user)
        got[route] = answers
        if _expected(route) is None:
            missing.append(f"{route} ({name}) is not in EXPECTED: got {answers}")

    if os.environ.get("ROLES_TABLE_PRINT"):
        for route, answers in got.items():
            if not route.startswith("admin/") or answers != ADMIN:
                print(f"    {route!r}: {answers!r},")
    wrong = [
        f"{route}: expected {_expected(route)}, got {answers} ({' '.join(ROLES)})"
        for route, answers in got.items()
        if _expected(route) is not None and answers != _expected(route)
    ]
    assert "5" not in "".join(got.values()), [r for r, a in got.items() if "5" in a]
    assert missing == [] and wrong == [], "\n".join(missing + wrong)


EXPECTED: dict[str, str] = {
    "": "OOOOOO",
    "admin/login/": "OOOOO-",
    "admin/logout/": "OOOOO-",
    "admin/catalogue/category/jsi18n/": "OOOOO-",
    "i18n/setlang/": "OOOOOO",
    "conditions/": "OOOOOO",
    "conditions/<slug:slug>/": "NNNONO",
    "articles/": "OOOOOO",
    "articles/<slug:slug>/": "NNNONO",
    "sitemap.xml": "OOOOOO",
    "dashboard/content/conditions/": "LFFOFO",
    "dashboard/content/conditions/create/": "LFFOFO",
    "dashboard/content/conditions/<int:pk>/": "LFFOFO",
    "dashboard/content/conditions/<int:pk>/publish/": "LFFMFM",
    "dashboard/content/articles/": "LFFOFO",
    "dashboard/content/articles/create/": "LFFOFO",
    "dashboard/content/articles/<int:pk>/": "LFFOFO",
    "dashboard/content/articles/<int:pk>/publish/": "LFFMFM",
    "dashboard/accounting/export/": "LFFFOO",
    "dashboard/accounting/jobs/<uuid:pk>/": "LFFFOO",
    "dashboard/accounting/jobs/<uuid:pk>/status/": "LFFFOO",
    "dashboard/accounting/jobs/<uuid:pk>/download/": "LFFFNN",
    # The month's tax documents: accountants; the register wants its month (400 without).
    "dashboard/accounting/documents/": "LFFFOO",
    "dashboard/accounting/documents/register/": "LFFFBB",
    "dashboard/accounting/documents/archives/": "LFFFMM",
    "dashboard/accounting/documents/archives/<int:pk>/": "LFFFOO",
    "dashboard/accounting/documents/archives/<int:pk>/status/": "LFFFOO",
    "dashboard/accounting/documents/archives/<int:pk>/download/": "LFFFNN",
    # A tax document: its patient, staff and accountants; anyone else is told nothing.
    "documents/<int:pk>/": "NONOOO",
    # A guest's: only after the order-status check in the same session (none here).
    "documents/^guest/(?P<order_number>[\\w-]+)/(?P<hash>[A-Za-z0-9_=:-]+)/(?P<pk>\\d+)/$": (
        "NNNNNN"
    ),
    # Package credits: the patient's own; staff redeem; accountants read the ledger only.
    "accounts/treatments/": "LOOOOO",
    "accounts/treatments/claim/": "LMMMMM",
    "accounts/treatments/claim/<str:token>/": "LOOOOO",
    "accounts/treatments/reminders-off/<str:token>/": "OOOOOO",
    "accounts/treatments/<str:code>/": "LONNNN",
    "dashboard/sessions/": "LFFOOO",
    "dashboard/sessions/liability/": "LFFFOO",
    "dashboard/sessions/<str:code>/": "LFFOOO",
    "dashboard/sessions/<str:code>/redeem/": "LFFMFM",
    "dashboard/sessions/<str:code>/undo/<int:event_id>/": "LFFMFM",
    "dashboard/sessions/<str:code>/extend/": "LFFMFM",
    "dashboard/sessions/<str:code>/refund/": "LFFMFM",
    "dashboard/sessions/<str:code>/flag/": "LFFMFM",
    # Bookings: the signed link of a credit is its key; staff book, accountants read.
    "book/<str:token>/": "OOOOOO",
    "book/<str:token>/cancel/<int:booking_id>/": "MMMMMM",
    "dashboard/bookings/": "LFFOOO",
    "dashboard/bookings/week/": "LFFOOO",
    "dashboard/bookings/new/": "LFFMFM",
    "dashboard/bookings/<int:pk>/<str:action>/": "LFFMFM",
    "dashboard/bookings/practitioners/": "LFFOOO",
    "dashboard/bookings/practitioners/new/": "LFFOFO",
    "dashboard/bookings/practitioners/<int:pk>/": "LFFOFO",
    # The clinic's pages (about, contact, privacy, terms, refunds): public; staff edit.
    "^(?P<slug>about|contact|privacy|terms|refunds)/$": "OOOOOO",
    "about/": "OOOOOO",
    "contact/": "OOOOOO",
    "privacy/": "OOOOOO",
    "terms/": "OOOOOO",
    "refunds/": "OOOOOO",
    "dashboard/content/pages/": "LFFOFO",
    "dashboard/content/pages/<int:pk>/": "LFFOFO",
    "visitor/": "OOOOOO",
    "checkout/patient/": "OOOOOO",
    "payments/stripe/webhook/": "MMMMMM",
    "dashboard/payments/problems/": "LFFOOO",
    "dashboard/payments/orders/<str:number>/refund/": "LFFMFM",
    "dashboard/confirmations/": "LFFOFO",
    "dashboard/confirmations/<int:pk>/resend/": "LFFMFM",
    "dashboard/confirmations/emails/<int:pk>/resend/": "LFFMFM",
    "accounts/my-data/": "LOOOOO",
    "accounts/my-data/download/": "LOOOOO",
    "accounts/my-data/delete/": "LMMMMM",
    "dashboard/privacy/": "LFFFFO",
    "dashboard/privacy/<int:pk>/carry-out/": "LFFFFM",
    # Locked sign-ins: axes.delete_accessattempt (superusers; no role has it by default).
    "dashboard/sign-ins/": "LFFFFO",
    "dashboard/sign-ins/unlock/": "LFFFFM",
    "catalogue/^(?P<product_slug>[\\w-]*)_(?P<product_pk>\\d+)/reviews/<int:pk>/": "OOOOOO",
    "catalogue/^(?P<product_slug>[\\w-]*)_(?P<product_pk>\\d+)/reviews/add/": "OOOOOO",
    "catalogue/^(?P<product_slug>[\\w-]*)_(?P<product_pk>\\d+)/reviews/<int:pk>/vote/": "LMMMMM",
    "catalogue/^(?P<product_slug>[\\w-]*)_(?P<product_pk>\\d+)/reviews/": "OOOOOO",
    "catalogue/": "OOOOOO",
    "catalogue/^(?P<product_slug>[\\w-]*)_(?P<pk>\\d+)/$": "OOOOOO",
    "catalogue/^category/(?P<category_slug>[\\w-]+(/[\\w-]+)*)_(?P<pk>\\d+)/$": "OOOOOO",
    "catalogue/^ranges/(?P<slug>[\\w-]+)/$": "NNNNNN",
    "basket/": "OOOOOO",
    "basket/add/<int:pk>/": "MMMMMM",
    "basket/vouchers/add/": "OOOOOO",
    "basket/vouchers/<int:pk>/remove/": "MMMMMM",
    "basket/saved/": "LOOOOO",
    "checkout/": "OOOOOO",
    "checkout/shipping-address/": "OOOOOO",
    "checkout/user-address/edit/<int:pk>/": "LONNNN",
    "checkout/user-address/delete/<int:pk>/": "LONNNN",
    "checkout/shipping-method/": "OOOOOO",
    "checkout/payment-method/": "OOOOOO",
    "checkout/payment-details/": "OOOOOO",
    "checkout/preview/": "OOOOOO",
    "checkout/thank-you/": "OOOOOO",
    "checkout/pay/": "OOOOOO",
    "checkout/pay/resume/": "MMMMMM",
    "accounts/login/": "OOOOOO",
    "accounts/logout/": "MMMMMM",
    "accounts/register/": "OOOOOO",
    "accounts/": "LOOOOO",
    "accounts/change-password/": "LOOOOO",
    "accounts/profile/": "LOOOOO",
    "accounts/profile/edit/": "LOOOOO",
    "accounts/profile/delete/": "LOOOOO",
    "accounts/orders/": "LOOOOO",
    "accounts/^order-status-form/(?P<order_number>[\\w-]*)/(?P<hash>[A-z0-9-_=:]+)/$": "OOOOOO",
    "accounts/^order-status/(?P<order_number>[\\w-]*)/(?P<hash>[A-z0-9-_=:]+)/$": "OOOOOO",
    "accounts/orders/<str:order_number>/": "LONNNN",
    "accounts/orders/<str:order_number>/<int:line_id>/": "LNNNNN",
    "accounts/addresses/": "LOOOOO",
    "accounts/addresses/add/": "LOOOOO",
    "accounts/addresses/<int:pk>/": "LONNNN",
    "accounts/addresses/<int:pk>/delete/": "LONNNN",
    "accounts/^addresses/(?P<pk>\\d+)/(?P<action>default_for_(billing|shipping))/$": "LMMMMM",
    "accounts/emails/": "LOOOOO",
    "accounts/emails/<int:email_id>/": "LONNNN",
    "accounts/notifications/": "OOOOOO",
    "accounts/notifications/inbox/": "LOOOOO",
    "accounts/notifications/archive/": "LOOOOO",
    "accounts/notifications/update/": "LMMMMM",
    "accounts/notifications/<int:pk>/": "LONNNN",
    "accounts/alerts/": "LOOOOO",
    "accounts/alerts/create/<int:pk>/": "OOOOOO",
    "accounts/alerts/confirm/<str:key>/": "OOOOOO",
    "accounts/alerts/cancel/key/<str:key>/": "OOOOOO",
    "accounts/alerts/cancel/<int:pk>/": "LONNNN",
    "accounts/wishlists/": "LOOOOO",
    "accounts/wishlists/add/<int:product_pk>/": "LMMMMM",
    "accounts/wishlists/<str:key>/add/<int:product_pk>/": "LMMMMM",
    "accounts/wishlists/create/": "LOOOOO",
    "accounts/wishlists/create/with-product/<int:product_pk>/": "LOOOOO",
    "accounts/wishlists/<str:key>/": "NONNNN",
    "accounts/wishlists/<str:key>/update/": "LONNNN",
    "accounts/wishlists/<str:key>/delete/": "LONNNN",
    "accounts/wishlists/<str:key>/lines/<int:line_pk>/delete/": "LONNNN",
    "accounts/wishlists/<str:key>/products/<int:product_pk>/delete/": "LONNNN",
    "accounts/wishlists/<str:key>/lines/<int:line_pk>/move-to/<str:to_key>/": "LMNNNN",
    "search/": "OOOOOO",
    "dashboard/": "LFFOOO",
    "dashboard/catalogue/products/bulk-action/": "LFFOFO",
    "dashboard/catalogue/products/<int:pk>/": "LFFOFO",
    "dashboard/catalogue/products/create/": "LFFOFO",
    "dashboard/catalogue/^products/create/(?P<product_class_slug>[\\w-]+)/$": "LFFOFO",
    "dashboard/catalogue/products/<int:parent_pk>/create-variant/": "LFFOFO",
    "dashboard/catalogue/products/<int:pk>/delete/": "LFFOFO",
    "dashboard/catalogue/": "LFFOFO",
    "dashboard/catalogue/stock-alerts/": "LFFOFO",
    "dashboard/catalogue/product-lookup/": "LFFOFO",
    "dashboard/catalogue/categories/": "LFFOFO",
    "dashboard/catalogue/categories/<int:pk>/": "LFFOFO",
    "dashboard/catalogue/categories/create/": "LFFOFO",
    "dashboard/catalogue/categories/create/<int:parent>/": "LFFOFO",
    "dashboard/catalogue/categories/<int:pk>/update/": "LFFOFO",
    "dashboard/catalogue/categories/<int:pk>/delete/": "LFFOFO",
    "dashboard/catalogue/product-type/create/": "LFFOFO",
    "dashboard/catalogue/product-types/": "LFFOFO",
    "dashboard/catalogue/product-type/<int:pk>/update/": "LFFOFO",
    "dashboard/catalogue/product-type/<int:pk>/delete/": "LFFOFO",
    "dashboard/catalogue/attribute-option-group/create/": "LFFOFO",
    "dashboard/catalogue/attribute-option-group/": "LFFOFO",
    "dashboard/catalogue/attribute-option-group/<str:pk>/update/": "LFFOFO",
    "dashboard/catalogue/attribute-option-group/<str:pk>/delete/": "LFFOFO",
    "dashboard/catalogue/option/": "LFFOFO",
    "dashboard/catalogue/option/create/": "LFFOFO",
    "dashboard/catalogue/option/<str:pk>/update/": "LFFOFO",
    "dashboard/catalogue/option/<str:pk>/delete/": "LFFOFO",
    "dashboard/reports/": "LFFFFO",
    "dashboard/orders/": "LFFOOO",
    "dashboard/orders/statistics/": "LFFOOO",
    "dashboard/orders/<str:number>/": "LFFOOO",
    "dashboard/orders/<str:number>/notes/<int:note_id>/": "LFFOFO",
    "dashboard/orders/<str:number>/lines/<int:line_id>/": "LFFOOO",
    "dashboard/orders/<str:number>/shipping-address/": "LFFOFO",
    "dashboard/users/": "LFFFFO",
    "dashboard/users/^(?P<pk>-?\\d+)/$": "LFFFFO",
    "dashboard/users/^(?P<pk>-?\\d+)/password-reset/$": "LFFFFM",
    "dashboard/users/alerts/": "LFFFFO",
    "dashboard/users/^alerts/(?P<pk>-?\\d+)/delete/$": "LFFFFO",
    "dashboard/users/^alerts/(?P<pk>-?\\d+)/update/$": "LFFFFO",
    "dashboard/pages/": "LFFFFO",
    "dashboard/pages/create/": "LFFFFO",
    "dashboard/pages/update/<str:pk>/": "LFFFFO",
    "dashboard/pages/delete/<str:pk>/": "LFFFFO",
    "dashboard/partners/": "LFFOFO",
    "dashboard/partners/create/": "LFFFFO",
    "dashboard/partners/<int:pk>/": "LFFOFO",
    "dashboard/partners/<int:pk>/delete/": "LFFFFO",
    "dashboard/partners/<int:partner_pk>/users/add/": "LFFFFO",
    "dashboard/partners/<int:partner_pk>/users/select/": "LFFFFO",
    "dashboard/partners/<int:partner_pk>/users/<int:user_pk>/link/": "LFFFFM",
    "dashboard/partners/<int:partner_pk>/users/<int:user_pk>/unlink/": "LFFFFM",
    "dashboard/partners/<int:partner_pk>/users/<int:user_pk>/update/": "LFFFFN",
    "dashboard/offers/": "LFFOFO",
    "dashboard/offers/new/metadata/": "LFFOFO",
    "dashboard/offers/new/condition/": "LFFOFO",
    "dashboard/offers/new/incentive/": "LFFOFO",
    "dashboard/offers/new/restrictions/": "LFFOFO",
    "dashboard/offers/<int:pk>/metadata/": "LFFOFO",
    "dashboard/offers/<int:pk>/condition/": "LFFOFO",
    "dashboard/offers/<int:pk>/incentive/": "LFFOFO",
    "dashboard/offers/<int:pk>/restrictions/": "LFFOFO",
    "dashboard/offers/<int:pk>/delete/": "LFFOFO",
    "dashboard/offers/<int:pk>/": "LFFOFO",
    "dashboard/ranges/": "LFFOFO",
    "dashboard/ranges/create/": "LFFOFO",
    "dashboard/ranges/<int:pk>/": "LFFOFO",
    "dashboard/ranges/<int:pk>/delete/": "LFFOFO",
    "dashboard/ranges/<int:pk>/products/": "LFFOFO",
    "dashboard/ranges/<int:pk>/reorder/": "LFFMFM",
    "dashboard/reviews/": "LFFOFO",
    "dashboard/reviews/<int:pk>/": "LFFOFO",
    "dashboard/reviews/<int:pk>/delete/": "LFFOFO",
    "dashboard/vouchers/": "LFFOFO",
    "dashboard/vouchers/create/": "LFFOFO",
    "dashboard/vouchers/update/<int:pk>/": "LFFOFO",
    "dashboard/vouchers/delete/<int:pk>/": "LFFOFO",
    "dashboard/vouchers/stats/<int:pk>/": "LFFOFO",
    "dashboard/vouchers/sets/": "LFFOFO",
    "dashboard/vouchers/sets/create/": "LFFOFO",
    "dashboard/vouchers/sets/update/<int:pk>/": "LFFOFO",
    "dashboard/vouchers/sets/detail/<int:pk>/": "LFFOFO",
    "dashboard/vouchers/sets/download/<int:pk>/": "LFFOFO",
    "dashboard/vouchers/sets/delete/<int:pk>/": "LFFOFO",
    "dashboard/comms/": "LFFOFO",
    "dashboard/comms/^(?P<slug>[\\w-]+)/$": "LFFOFO",
    "dashboard/shipping/weight-based/": "LFFFFO",
    "dashboard/shipping/weight-based/create/": "LFFFFO",
    "dashboard/shipping/weight-based/<int:pk>/": "LFFFFO",
    "dashboard/shipping/weight-based/<int:pk>/edit/": "LFFFFO",
    "dashboard/shipping/weight-based/<int:pk>/delete/": "LFFFFO",
    "dashboard/shipping/weight-based/<int:method_pk>/bands/<int:pk>/": "LFFFFO",
    "dashboard/shipping/weight-based/<int:method_pk>/bands/<int:pk>/delete/": "LFFFFO",
    "dashboard/login/": "OOOOOO",
    "dashboard/logout/": "MMMMMM",
    "offers/": "OOOOOO",
    "offers/^(?P<slug>[\\w-]+)/$": "OOOOOO",
    "wishlists/<str:key>/": "FOFFFF",
    "password-reset/": "OFFFFF",
    "password-reset/done/": "OFFFFF",
    "password-reset/confirm/<str:uidb64>/<str:token>/": "OFFFFF",
    "password-reset/complete/": "OFFFFF",
}
