"""The storefront in Chromium, at desktop and phone widths."""

import pytest
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db(transaction=True)

# Whether the machine's fonts draw Chinese: a missing glyph is as wide as a private-use one.
HAS_CHINESE_FONT = """el => {
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = getComputedStyle(el).font;
    return ctx.measureText("推拿").width !== ctx.measureText("\\ue000\\ue000").width;
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_the_chinese_name_shows_only_where_a_font_can_draw_it(page, catalogue, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(Product.objects.get(upc="TUI").get_absolute_url())

    name = page.locator(".chinese-name")
    readable = name.evaluate(HAS_CHINESE_FONT)
    row = page.locator(".product_page table tr", has_text="推拿")

    # Never a row of empty boxes: the name is drawn, or kept for screen readers only.
    assert ("sr-only" not in name.get_attribute("class")) is readable
    assert name.text_content() == "推拿"
    assert row.is_visible() is readable
    assert page.locator("h1").inner_text() == "Tuina Acupressure"
    # Nothing is wider than the screen.
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
