"""What an anonymous patient sees: home, catalogue, categories, product pages, basket."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.core.money import gst_part

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _money(amount: Decimal) -> str:
    return f"S${amount:,.2f}"


def test_home_shows_the_clinic_and_its_featured_treatments(client, catalogue):
    page = _text(client.get("/"))

    assert "Liang Yi TCM" in page
    assert "Tuina Acupressure" in page
    assert "Acupuncture" in page
    assert "Medical disclaimer" in page
    assert 'href="/conditions/"' in page  # the menu leads to the clinic's content
    assert 'href="/articles/"' in page


def test_the_catalogue_lists_every_product(client, catalogue):
    page = _text(client.get(reverse("catalogue:index")))

    for product in Product.objects.browsable():
        assert product.get_absolute_url() in page, product.title


def test_each_category_lists_its_products(client, catalogue):
    for category in Category.objects.all():
        response = client.get(category.get_absolute_url())
        assert response.status_code == 200, category.name
        page = _text(response)
        for product in Product.objects.browsable().filter(categories=category):
            assert product.get_absolute_url() in page, (category.name, product.title)


def test_each_product_page_shows_its_price_with_gst(client, catalogue):
    for product in Product.objects.filter(structure__in=["standalone", "child"]):
        response = client.get(product.get_absolute_url(), follow=True)
        assert response.status_code == 200, product.title
        price = product.stockrecords.get().price
        page = _text(response)
        assert _money(price) in page, product.title
        assert f"incl. {_money(gst_part(price))} GST" in page, product.title


def test_a_treatment_page_shows_its_packages_and_the_saving(client, catalogue):
    parent = Product.objects.get(upc="TUI")

    page = _text(client.get(parent.get_absolute_url()))

    assert "推拿" in page
    for sessions in (1, 5, 10):
        assert f'data-sessions="{sessions}"' in page
    # S$88.00 a single session; S$398.00 for five is S$79.60 a session.
    assert "S$79.60" in page
    assert "save S$8.40 per session" in page
    assert "45 min each" in page
    assert "Medical disclaimer" in page
    assert 'aria-label="Add 1 session to basket"' in page
    assert 'aria-label="Add 5 sessions to basket"' in page


def test_a_per_session_price_on_a_half_cent_rounds_half_up_as_all_shop_money(client, catalogue):
    ten = Product.objects.get(upc="TUI-10").stockrecords.get()
    ten.price = Decimal("568.85")  # S$56.885 a session
    ten.save()

    page = _text(client.get(Product.objects.get(upc="TUI").get_absolute_url()))

    assert _money(Decimal("56.89")) in page
    assert _money(Decimal("56.88")) not in page


def test_a_package_page_shows_sessions_minutes_and_validity(client, catalogue):
    package = Product.objects.get(upc="TUI-5")

    page = _text(client.get(package.get_absolute_url()))

    assert re.search(r"<strong>5</strong>\s*sessions of 45 minutes", page)
    assert f"Valid for {package.attr.validity_days} days" in page


def _basket_lines(client):
    response = client.get(reverse("basket:summary"))
    return response, response.context["basket"].all_lines()


@pytest.mark.parametrize("upc", ["TUI-5", "WP-MOXA"])
def test_basket_add_change_quantity_and_remove(client, catalogue, upc):
    product = Product.objects.get(upc=upc)

    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    response, lines = _basket_lines(client)
    assert [(line.product.upc, line.quantity) for line in lines] == [(upc, 1)]
    assert product.get_title() in _text(response)

    formset = response.context["formset"]
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": formset.forms[0].instance.pk,
        "form-0-quantity": "3",
    }
    client.post(reverse("basket:summary"), data)
    _, lines = _basket_lines(client)
    assert [line.quantity for line in lines] == [3]
    assert lines[0].line_price_incl_tax == 3 * product.stockrecords.get().price

    data["form-0-DELETE"] = "on"
    client.post(reverse("basket:summary"), data)
    response, lines = _basket_lines(client)
    assert list(lines) == []
    assert "Your basket is empty" in _text(response)


def test_a_basket_of_treatments_only_needs_no_shipping(client, catalogue):
    package = Product.objects.get(upc="ACU-10")
    client.post(reverse("basket:add", kwargs={"pk": package.pk}), {"quantity": 1})

    response, _ = _basket_lines(client)

    assert response.context["basket"].is_shipping_required() is False


def test_a_basket_with_a_wellness_product_needs_shipping(client, catalogue):
    for upc in ("ACU-10", "WP-KNEE"):
        product = Product.objects.get(upc=upc)
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})

    response, _ = _basket_lines(client)

    assert response.context["basket"].is_shipping_required() is True
