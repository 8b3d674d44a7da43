"""A shopper's product page answered from its kept record and body: no product loaded,
and never stale, never another's (shop/catalogue/kept.py, shop/catalogue/views.py)."""

import contextlib
import json
import re
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop.catalogue.services import drawn_image
from tests.factories import UserFactory, site_discount_create

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductAlert = get_model("customer", "ProductAlert")
ProductReview = get_model("reviews", "ProductReview")
WishList = get_model("wishlists", "WishList")

pytestmark = pytest.mark.django_db

FLATPAGE = 'FROM "django_flatpage"'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def _shopper() -> Client:
    shopper = Client()
    moxa = Product.objects.get(upc="WP-MOXA")
    shopper.post(reverse("basket:add", kwargs={"pk": moxa.pk}), {"quantity": 1})
    return shopper


@contextlib.contextmanager
def _no_query(but: tuple = ()):
    """Assert that no query but the request's savepoint (the test's transaction) runs."""
    with CaptureQueriesContext(connection) as captured:
        yield
    but = ("SAVEPOINT", *but)
    queries = [q["sql"] for q in captured if not any(part in q["sql"] for part in but)]
    assert queries == []


def _without_tokens(html: str) -> str:
    html = TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)


@pytest.mark.parametrize("upc", ["TUI", "WP-MOXA", "TUI-5"])
def test_a_repeated_view_loads_no_product_and_shows_the_same_page(catalogue, upc):
    url = Product.objects.get(upc=upc).get_absolute_url()
    shopper = _shopper()
    shopper.get(url)  # the shopper's history now holds this product: the next body is its own
    rendered = shopper.get(url)  # rendered: kept
    with _no_query():
        kept = shopper.get(url)
    assert kept.status_code == rendered.status_code == 200
    assert _without_tokens(kept.content.decode()) == _without_tokens(rendered.content.decode())
    html = kept.content.decode()
    product = Product.objects.get(upc=upc)
    assert f"<title>\n    {product.get_meta_title()} |" in html
    assert f'<meta property="og:title" content="{product.get_title()}"' in html
    assert 'aria-current="page">' + product.get_title() + "</li>" in html


def test_a_wrong_slug_redirects_from_the_kept_record(catalogue):
    product = Product.objects.get(upc="WP-MOXA")
    shopper = _shopper()
    shopper.get(product.get_absolute_url())
    wrong = reverse("catalogue:detail", kwargs={"product_slug": "not-its-slug", "pk": product.pk})
    with _no_query():
        response = shopper.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == product.get_absolute_url()


def test_a_product_made_private_is_404_at_once_and_then_without_a_query(catalogue):
    product = Product.objects.get(upc="WP-MOXA")
    shopper = _shopper()
    shopper.get(product.get_absolute_url())
    assert shopper.get(product.get_absolute_url()).status_code == 200
    product.is_public = False
    product.save()  # as the dashboard saves it: the generation moves
    assert shopper.get(product.get_absolute_url()).status_code == 404
    with _no_query(but=(FLATPAGE,)):  # a 404 looks for a flat page of that URL
        assert shopper.get(product.get_absolute_url()).status_code == 404


def test_a_child_of_a_private_parent_is_404(catalogue):
    parent = Product.objects.get(upc="TUI")
    child = Product.objects.get(upc="TUI-5")
    shopper = _shopper()
    shopper.get(child.get_absolute_url())
    with _no_query():
        assert shopper.get(child.get_absolute_url()).status_code == 200
    parent.is_public = False
    parent.save()
    assert shopper.get(child.get_absolute_url()).status_code == 404


def test_a_title_slug_and_image_edit_show_at_once(catalogue):
    product = Product.objects.get(upc="WP-MOXA")
    shopper = _shopper()
    old_url = product.get_absolute_url()
    shopper.get(old_url)
    with _no_query():
        shopper.get(old_url)  # kept
    product.title = "Moxa sticks, new harvest"
    product.slug = "moxa-sticks-new-harvest"
    product.save()
    new_url = product.get_absolute_url()
    moved = shopper.get(old_url)
    assert moved.status_code == 301 and moved["Location"] == new_url
    html = shopper.get(new_url).content.decode()
    assert "<h1>Moxa sticks, new harvest</h1>" in html
    assert '<meta property="og:title" content="Moxa sticks, new harvest"' in html
    assert 'aria-current="page">Moxa sticks, new harvest</li>' in html

    product.images.update(display_order=5)
    image = ProductImage(product=product, display_order=0)
    name = f"kept-page-test-{uuid.uuid4().hex}.png"
    image.original.save(name, drawn_image(slug="kept-page-test"), save=True)
    html = shopper.get(new_url).content.decode()
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og_image.endswith(image.original.name.rsplit("/", 1)[-1])


def test_an_offer_shows_in_the_kept_page_at_once(catalogue):
    product = Product.objects.get(upc="WP-MOXA")
    shopper = _shopper()
    shopper.get(product.get_absolute_url())
    with _no_query():
        before = shopper.get(product.get_absolute_url()).content.decode()
    site_discount_create(percent=10)
    after = shopper.get(product.get_absolute_url()).content.decode()
    assert _without_tokens(after) != _without_tokens(before)


def test_each_shopper_gets_their_own_token_and_basket_on_a_kept_page(catalogue):
    url = Product.objects.get(upc="WP-MOXA").get_absolute_url()
    first, second = _shopper(), _shopper()
    second.post(
        reverse("basket:add", kwargs={"pk": Product.objects.get(upc="WP-MOXA").pk}),
        {"quantity": 2},
    )
    first.get(url)
    first.get(url)
    second.get(url)
    for shopper, count in ((first, "1"), (second, "3")):
        with _no_query():
            html = shopper.get(url).content.decode()
        tokens = [token for token in TOKEN.findall(html) if token]
        assert tokens
        secret = shopper.cookies["csrftoken"].value
        assert all(_unmask_cipher_token(token) == secret for token in tokens)
        assert f'site-basket__count">{count}' in html
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_a_kept_view_adds_the_product_to_the_recently_viewed_cookie(catalogue):
    moxa, tui = Product.objects.get(upc="WP-MOXA"), Product.objects.get(upc="TUI")
    shopper = _shopper()
    shopper.get(moxa.get_absolute_url())
    Client().get(tui.get_absolute_url())  # another visitor's view: TUI's record is kept
    shopper.get(tui.get_absolute_url())  # the shopper's own body (their history) is kept
    shopper.cookies.pop(settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME)
    shopper.get(moxa.get_absolute_url())  # no history: the page of a first-time shopper
    with _no_query():
        response = shopper.get(tui.get_absolute_url())  # kept (record and body)
    cookie = response.cookies[settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME].value
    assert json.loads(cookie) == [moxa.pk, tui.pk]
    assert f'href="{moxa.get_absolute_url()}"' in response.content.decode()


def test_staff_see_their_edit_link_and_shoppers_never(catalogue, clinic_staff):
    product = Product.objects.get(upc="WP-MOXA")
    edit = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    shopper = _shopper()
    shopper.get(product.get_absolute_url())
    staff = Client()
    staff.force_login(clinic_staff, backend="django.contrib.auth.backends.ModelBackend")
    assert edit in staff.get(product.get_absolute_url()).content.decode()
    with _no_query():
        assert edit not in shopper.get(product.get_absolute_url()).content.decode()
    assert edit in staff.get(product.get_absolute_url()).content.decode()


def test_staff_preview_a_private_product_a_shopper_gets_404(catalogue, clinic_staff):
    product = Product.objects.get(upc="WP-MOXA")
    product.is_public = False
    product.save()
    shopper = _shopper()
    assert shopper.get(product.get_absolute_url()).status_code == 404
    staff = Client()
    staff.force_login(clinic_staff, backend="django.contrib.auth.backends.ModelBackend")
    assert staff.get(product.get_absolute_url()).status_code == 200
    # The record: no product loaded (Django's 404 page looks for a flat page, reads messages).
    with _no_query(but=(FLATPAGE, 'FROM "django_session"')):
        assert shopper.get(product.get_absolute_url()).status_code == 404


def _patient(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _product_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if 'FROM "catalogue_' in q["sql"]]


@pytest.mark.parametrize("upc", ["TUI", "WP-MOXA"])
def test_a_patients_repeated_view_loads_no_product_and_shows_the_same_page(catalogue, upc):
    url = Product.objects.get(upc=upc).get_absolute_url()
    patient = _patient(UserFactory(email="kept.patient@example.com"))
    patient.get(url)
    rendered = patient.get(url)
    with CaptureQueriesContext(connection) as captured:
        kept = patient.get(url)
    assert _product_queries(captured) == []
    assert _without_tokens(kept.content.decode()) == _without_tokens(rendered.content.decode())
    assert 'site-basket__count">0' in kept.content.decode()


def test_a_patients_wish_list_is_theirs_alone_on_the_kept_page(catalogue):
    moxa = Product.objects.get(upc="WP-MOXA")
    owner, other = UserFactory(email="owner@example.com"), UserFactory(email="other@example.com")
    WishList.objects.create(owner=owner, name="Herbs for winter").add(moxa)
    owner_client, other_client = _patient(owner), _patient(other)
    for _ in range(2):  # rendered, then kept
        other_page = other_client.get(moxa.get_absolute_url()).content.decode()
        with CaptureQueriesContext(connection) as captured:
            owner_page = owner_client.get(moxa.get_absolute_url()).content.decode()
        assert "Herbs for winter" in owner_page
        assert "Herbs for winter" not in other_page
        assert "Add to wish list" in other_page
    assert _product_queries(captured) == []
    anonymous = _shopper().get(moxa.get_absolute_url()).content.decode()
    assert "Please login to add products to a wish list" in anonymous
    assert "Herbs for winter" not in anonymous


def test_a_patients_stock_alert_is_theirs_alone_on_the_kept_page(catalogue):
    moxa = Product.objects.get(upc="WP-MOXA")
    record = moxa.stockrecords.get()
    record.num_in_stock, record.num_allocated = 0, 0
    record.save()
    watcher, other = UserFactory(email="watcher@example.com"), UserFactory(email="x@example.com")
    ProductAlert.objects.create(product=moxa, user=watcher, status=ProductAlert.ACTIVE)
    watcher_client, other_client = _patient(watcher), _patient(other)
    for _ in range(2):  # rendered, then kept
        other_page = other_client.get(moxa.get_absolute_url()).content.decode()
        with CaptureQueriesContext(connection) as captured:
            watcher_page = watcher_client.get(moxa.get_absolute_url()).content.decode()
        assert "You have an active stock alert" in watcher_page
        assert 'id="alert_form"' not in watcher_page
        assert "You have an active stock alert" not in other_page
        assert 'id="alert_form"' in other_page
        tokens = [token for token in TOKEN.findall(other_page) if token]
        secret = other_client.cookies["csrftoken"].value
        assert tokens and all(_unmask_cipher_token(token) == secret for token in tokens)
    assert _product_queries(captured) == []
    anonymous = _shopper().get(moxa.get_absolute_url()).content.decode()
    assert 'name="email"' in anonymous  # a shopper without an account gives their address


def test_a_patient_who_has_reviewed_is_not_asked_to_be_the_first_on_the_kept_page(catalogue):
    moxa = Product.objects.get(upc="WP-MOXA")
    reviewer, other = UserFactory(email="reviewer@example.com"), UserFactory(email="o@example.com")
    ProductReview.objects.create(
        product=moxa, user=reviewer, score=5, title="Good", body="Warm.",
        status=ProductReview.FOR_MODERATION,
    )  # fmt: skip
    reviewer_client, other_client = _patient(reviewer), _patient(other)
    for _ in range(2):  # rendered, then kept
        assert (
            "be the first to write one"
            in other_client.get(moxa.get_absolute_url()).content.decode()
        )
        with CaptureQueriesContext(connection) as captured:
            page = reviewer_client.get(moxa.get_absolute_url()).content.decode()
        assert "be the first to write one" not in page
        assert "does not have any reviews yet" in page
    assert _product_queries(captured) == []
