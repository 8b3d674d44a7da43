"""What a patient reads on the storefront: pages, footer, cards, basket, checkout, thank-you."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.core.money import gst_part

Product = get_model("catalogue", "Product")
ProductReview = get_model("reviews", "ProductReview")

pytestmark = pytest.mark.django_db

FOOTER_LINKS = {
    "About the clinic": "/about/",
    "Contact": "/contact/",
    "Privacy": "/privacy/",
    "Terms of sale": "/terms/",
    "Refunds": "/refunds/",
}


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "Liang Yi TCM | Traditional Chinese Medicine treatments and wellness products"),
        ("/catalogue/", "All products"),
        ("/conditions/", "Conditions"),
        ("/basket/", "Basket"),
    ],
)
def test_pages_answer_with_their_title_the_clinics_footer_and_a_skip_link(
    client, catalogue, settings, path, title
):
    page = _text(client.get(path))

    assert re.search(r"<title>\s*" + re.escape(title), page)
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    for name, href in FOOTER_LINKS.items():
        assert f'href="{href}">{name}</a>' in page
    assert settings.CLINIC_ADDRESS in page and "address set by" not in page
    assert "Mon-Fri 9am-8pm" in page  # CLINIC_HOURS, one line a day
    assert page.count(">Liang Yi TCM</span>") == 1  # the site's name once, in the header


def test_cards_show_no_stars_without_reviews_and_a_treatments_price_per_session(client, catalogue):
    page = _text(client.get(reverse("catalogue:index")))

    assert "star-rating" not in page
    # Tuina: S$88 one session, S$398 five, S$728 ten (S$72.80 a session, the lowest).
    tuina = page[page.index('href="/catalogue/tuina-acupressure') :]
    tuina = tuina[: tuina.index("</article>")]
    assert re.search(r"from <strong>S\$72\.80</strong> per session", tuina)
    for sessions, price in [("1 session", "S$88.00"), ("5 sessions", "S$398.00")]:
        assert re.search(
            rf">{sessions}</a>\s*<span class=\"price_color\">{re.escape(price)}", tuina
        )
    assert "推拿" in tuina
    moxa = Product.objects.get(upc="WP-MOXA")
    price = moxa.stockrecords.get().price
    assert f"incl. S${gst_part(price)} GST" in page


def test_a_reviewed_product_shows_its_stars(client, catalogue):
    moxa = Product.objects.get(upc="WP-MOXA")
    ProductReview.objects.create(
        product=moxa, score=5, title="Warm", body="Helps me relax.", status=ProductReview.APPROVED
    )
    moxa.refresh_from_db()
    assert moxa.rating == 5

    page = _text(client.get(reverse("catalogue:index")))

    assert page.count("star-rating") == 1


def test_a_product_page_has_no_upc_product_class_or_tax_table(client, catalogue):
    moxa = Product.objects.get(upc="WP-MOXA")

    page = _text(client.get(moxa.get_absolute_url()))

    assert "WP-MOXA" not in page
    assert "Product Type" not in page and "Price (excl. tax)" not in page
    assert f"incl. S${gst_part(moxa.stockrecords.get().price)} GST" in page


def test_the_basket_shows_a_packages_sessions_and_validity(client, catalogue):
    package = Product.objects.get(upc="TUI-5")
    client.post(reverse("basket:add", kwargs={"pk": package.pk}), {"quantity": 1})

    page = _text(client.get(reverse("basket:summary")))

    days = package.attr.validity_days
    assert f"5 sessions of 45 minutes &middot; valid for {days} days from purchase" in page
    assert "推拿" in page
    assert re.search(r'<label class="sr-only" for="id_form-0-quantity">', page)


def test_delivery_under_the_threshold_is_one_flat_rate_free_over_80(shopper, localstripe):
    shopper.add("WP-MOXA")
    shopper.as_guest()
    shopper.ship_to_singapore()

    page = shopper.client.get(reverse("checkout:shipping-method"), follow=True)

    assert page.redirect_chain[-1][0] == reverse("checkout:payment-details")
    assert "Standard delivery (Singapore)" in page.content.decode()
    assert "free over S$80" in page.content.decode()


def test_a_services_only_payment_page_has_no_delivery_and_states_the_terms(shopper, localstripe):
    shopper.add("TUI-5")
    shopper.as_guest()

    page = _text(shopper.client.get(reverse("checkout:payment-details")))

    assert "Shipping method" not in page and "<h2>Shipping</h2>" not in page
    assert 'By paying you accept our <a href="/terms/">terms of sale</a>.' in page
    assert 'aria-describedby="pay-terms"' in page


def test_the_thank_you_page_speaks_of_sessions_valid_until_and_what_next(
    shopper, localstripe, settings
):
    shopper.add("TUI-5")
    shopper.as_guest("mei@example.com")
    assert shopper.pay(localstripe.card("4242424242424242")).status_code == 200

    response = shopper.client.get(reverse("checkout:thank-you"))
    page = " ".join(_text(response).split())
    order = response.context["order"]

    from datetime import timedelta

    from shop.core.selectors import CLINIC_TZ

    days = Product.objects.get(upc="TUI-5").attr.validity_days
    until = order.date_placed.astimezone(CLINIC_TZ).date() + timedelta(days=days)
    assert f"5 sessions of 45 minutes, valid until {until.day} {until:%B %Y}." in page
    assert "What to do next" in page and "Book your first session" in page
    assert settings.CLINIC_PHONE in page
    assert f"Paid S${order.total_incl_tax:.2f} by card" in page
    assert "Allocation of" not in page and "from type" not in page
    assert "<h2>Shipping</h2>" not in page and "Delivery</h2>" not in page
    assert order.total_incl_tax == Decimal("398.00")
