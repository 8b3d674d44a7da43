"""The header in Chromium: one menu button on a phone, the basket always in reach."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_one_menu_button_on_a_phone_and_the_basket_in_reach(page, catalogue, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/")

    conditions = page.get_by_role("link", name="Conditions", exact=True).first
    assert page.get_by_role("link", name="Basket").is_visible()
    menu = page.get_by_role("button", name="Menu")
    header = page.locator(".site-header").bounding_box()
    if width == 390:
        assert menu.count() == 1 and not conditions.is_visible()
        assert header["height"] <= 80  # a compact bar, not two thirds of the screen
        menu.click()
        assert conditions.is_visible() and menu.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Escape")
        assert not conditions.is_visible()
    else:
        assert not menu.is_visible() and conditions.is_visible()
