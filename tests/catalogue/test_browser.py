"""The storefront in Chromium, at desktop and phone widths."""

import pytest
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_chinese_name_shows_on_the_treatment_page(page, catalogue, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(Product.objects.get(upc="TUI").get_absolute_url())

    name = page.locator(".chinese-name")
    assert name.is_visible()
    assert name.text_content() == "推拿"
    assert "sr-only" not in name.get_attribute("class")
    assert page.locator("h1").inner_text() == "Tuina Acupressure"
    # The name, the price and the packages are on the first screen of a phone.
    first = page.locator(".package-option").first
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 900
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize(
    "path", ["/", "/catalogue/", "/conditions/sciatica/", "/basket/", "/catalogue/nope_999999/"]
)
def test_pages_fit_the_screen(page, catalogue, width, path):
    page.set_viewport_size({"width": width, "height": 900})

    response = page.goto(path)

    assert response.status in (200, 404)
    assert page.locator("h1").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
