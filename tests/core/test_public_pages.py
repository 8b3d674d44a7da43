"""The public storefront as anyone meets it: bad input, SEO tags, staff text, headers."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.urls import reverse
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

LONG_QUERY = "acupuncture " * 2000


def _text(response) -> str:
    return response.content.decode()


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _public_pages() -> dict[str, str]:
    product = Product.objects.get(upc="TUI")
    return {
        "home": "/",
        "catalogue": "/catalogue/",
        "category": Category.objects.get(slug="treatments").get_absolute_url(),
        "product": product.get_absolute_url(),
        "package": Product.objects.get(upc="TUI-5").get_absolute_url(),
        "goods": Product.objects.get(upc="WP-MOXA").get_absolute_url(),
        "conditions": "/conditions/",
        "condition": "/conditions/sciatica/",
        "articles": "/articles/",
        "article": "/articles/tcm-for-knee-and-back-pain/",
        "search": "/search/?q=acupuncture",
        "basket": "/basket/",
        "login": "/accounts/login/",
        "register": "/accounts/register/",
    }


BAD_QUERIES = [
    "page=abc",
    "page=99999",
    "page=-1",
    "page=0",
    "q=" + LONG_QUERY,
    "q=<script>alert(1)</script>",
    "q=AND OR (",
    "q=*",
    'q="',
    "q=%00",
    "q=title:(",
    "sort_by=garbage",
    "sort_by=<script>",
    "selected_facets=garbage",
    "selected_facets=price_exact:[0 TO",
    "selected_facets=",
    "q=tuina&page=abc",
    "q=tuina&page=99999",
]

BAD_PATHS = [
    "/catalogue/no-such-product_999999/",
    "/catalogue/category/no-such-category_999999/",
    "/conditions/no-such-condition/",
    "/articles/no-such-article/",
    "/basket/add/999999/",
    "/catalogue/" + "x" * 3000 + "_1/",
]


def test_no_public_url_answers_500_to_bad_input(client, catalogue):
    """Unknown slugs and pks, bad page numbers, search syntax, garbage sorts and facets."""
    product = Product.objects.get(upc="TUI")
    category = Category.objects.get(slug="treatments")
    urls = list(BAD_PATHS)
    for url in [*_public_pages().values(), "/search/", "/sitemap.xml"]:
        path = url.split("?")[0]
        urls += [f"{path}?{query}" for query in BAD_QUERIES]

    answers = {url[:80]: client.get(url).status_code for url in urls}

    assert {
        url: code for url, code in answers.items() if code not in (200, 301, 302, 404, 405)
    } == {}
    for url in BAD_PATHS[:4]:
        assert client.get(url).status_code == 404, url
    # A slug that does not match the pk leads to the right address.
    wrong_slug = client.get(f"/catalogue/wrong-slug_{product.pk}/")
    assert (wrong_slug.status_code, wrong_slug["Location"]) == (301, product.get_absolute_url())
    wrong_slug = client.get(f"/catalogue/category/wrong-slug_{category.pk}/")
    assert (wrong_slug.status_code, wrong_slug["Location"]) == (301, category.get_absolute_url())
    # A bad page number of the catalogue goes back to its first page and says why.
    response = client.get("/catalogue/?page=abc", follow=True)
    assert response.redirect_chain[-1][0] == "/catalogue/"
    assert "The given page number was invalid" in _text(response)


def test_an_unknown_page_is_the_shops_own_404_page(client, catalogue):
    response = client.get("/conditions/no-such-condition/")

    assert response.status_code == 404
    page = _text(response)
    assert "Page not found" in page
    # Ways to go on browsing.
    for link in (
        'href="/catalogue/"',
        'href="/conditions/"',
        'href="/articles/"',
        'action="/search/"',
    ):
        assert link in page
    assert '<meta name="robots" content="noindex" />' in page


def test_a_search_for_a_very_long_string_keeps_the_page_title_short(client, catalogue):
    response = client.get("/search/", {"q": LONG_QUERY})

    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", _text(response), re.S).group(1)
    assert len(title) < 200
    # The query is shortened wherever the page repeats it for the patient to read.
    page = _text(response)
    shown = re.sub(r'value="[^"]*"', "", page)  # the search box keeps it whole
    assert "acupuncture " * 30 not in shown
    assert '<meta name="robots" content="noindex" />' in _text(response)


def _add(client, product, quantity):
    return client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def _basket(client) -> list[tuple[str, int]]:
    basket = client.get(reverse("basket:summary")).context["basket"]
    return [(line.product.upc, line.quantity) for line in basket.all_lines()]


@pytest.mark.parametrize(
    ("upc", "quantity", "message"),
    [
        ("TUI-5", "0", "greater than or equal to 1"),
        ("TUI-5", "-1", "greater than or equal to 1"),
        ("TUI-5", "abc", "Enter a whole number"),
        ("TUI-5", "1.5", "Enter a whole number"),
        ("TUI-5", "", "This field is required"),
        ("TUI-5", "100000", "not able to ship more than"),
        ("TUI", "1", "cannot be added to the basket"),  # a treatment's parent: pick a package
        ("hidden", "1", "no longer sold"),
        ("out-of-stock", "1", "no stock available"),
    ],
)
def test_a_bad_basket_add_says_why_and_adds_nothing(client, catalogue, upc, quantity, message):
    if upc == "hidden":
        product = Product.objects.get(upc="WP-MOXA")
        product.is_public = False  # staff took it off the shop
        product.save()
    elif upc == "out-of-stock":
        product = Product.objects.get(upc="WP-KNEE")
        product.stockrecords.update(num_in_stock=0, num_allocated=0)
    else:
        product = Product.objects.get(upc=upc)

    response = _add(client, product, quantity)

    assert response.status_code == 302
    assert message in _messages(response)
    assert _basket(client) == []


def test_a_package_of_a_hidden_treatment_cannot_be_added(client, catalogue):
    Product.objects.filter(upc="TUI").update(is_public=False)

    response = _add(client, Product.objects.get(upc="TUI-5"), 1)

    assert "no longer sold" in _messages(response)
    assert _basket(client) == []


@pytest.mark.parametrize(
    "garbage",
    [
        {"form-TOTAL_FORMS": "abc"},
        {"form-TOTAL_FORMS": "100000"},
        {"form-TOTAL_FORMS": "3"},
        {"form-INITIAL_FORMS": "5"},
        {"form-0-id": "abc"},
        {"form-0-id": "999999"},
        {"form-0-quantity": "abc"},
        {"form-0-quantity": "-5"},
        {"form-0-quantity": "100000"},
        {"form-0-DELETE": "maybe"},
        {"form-0-save_for_later": "on"},  # a guest has no saved basket
    ],
)
def test_a_garbage_basket_formset_never_breaks_the_basket(client, catalogue, garbage):
    package = Product.objects.get(upc="TUI-5")
    _add(client, package, 2)
    line = client.get(reverse("basket:summary")).context["formset"].forms[0].instance
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": line.pk,
        "form-0-quantity": "2",
        **garbage,
    }

    response = client.post(reverse("basket:summary"), data)

    assert response.status_code in (200, 302)
    # Nothing was half-changed: the line is as it was, or changed the way it was asked to.
    assert _basket(client) in ([("TUI-5", 2)], [])


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "catalogue",
        "category",
        "product",
        "package",
        "goods",
        "conditions",
        "condition",
        "articles",
        "article",
        "search",
        "basket",
        "login",
        "register",
    ],
)
def test_every_public_page_has_title_description_canonical_and_open_graph(
    client, catalogue, settings, name
):
    url = _public_pages()[name]

    page = _text(client.get(url))

    title = re.search(r"<title>\s*(\S.*?)\s*</title>", page, re.S)
    assert title and settings.CLINIC_NAME in title.group(1), name
    description = re.search(r'<meta name="description" content="\s*(.*?)\s*"', page, re.S)
    assert description and len(description.group(1)) > 20, name
    canonical = f'<link rel="canonical" href="{settings.SITE_URL}{url.split("?")[0]}" />'
    assert canonical in page, name
    for prop in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
        assert re.search(rf'<meta property="{prop}" content="\s*\S', page), (name, prop)


def test_the_sitemap_lists_the_catalogue_and_the_content_at_site_url(client, catalogue, settings):
    settings.SITE_URL = "https://shop.liangyi-tcm.example"

    xml = _text(client.get("/sitemap.xml"))

    locs = re.findall(r"<loc>(.*?)</loc>", xml)
    assert locs and all(loc.startswith("https://shop.liangyi-tcm.example/") for loc in locs)
    for product in Product.objects.browsable():
        assert f"https://shop.liangyi-tcm.example{product.get_absolute_url()}" in locs
    assert "https://shop.liangyi-tcm.example/conditions/sciatica/" in locs
    assert "https://shop.liangyi-tcm.example/articles/tcm-for-knee-and-back-pain/" in locs


SCRIPTED = """Good for the knees.

<script>alert("xss-script")</script>

<img src="x" onerror="alert('xss-onerror')">

[a link](javascript:alert('xss-md-link')) and <a href=" JaVaScRiPt:alert('xss-a')">one more</a>

<svg onload="alert('xss-svg')"></svg><iframe src="https://evil.example/"></iframe>

<p style="color:red" onclick="alert('xss-click')">Rest after the session.</p>

**Warm** the joint.
"""


def _assert_no_active_content(page: str) -> None:
    lowered = page.lower()
    assert "<script>alert(" not in lowered
    assert "<iframe" not in lowered and "<svg" not in lowered
    assert "javascript:alert" not in lowered
    # The words may stay as harmless text or a title; never in a handler or a link that runs them.
    for tag in re.findall(r"<[^>]*xss-[^>]*>", lowered):
        assert not re.search(r"\son\w+\s*=", tag), tag
        assert "javascript:" not in tag, tag


def test_a_script_in_staff_written_descriptions_never_reaches_the_page(client, catalogue):
    for upc in ("TUI", "TUI-5", "WP-MOXA"):
        Product.objects.filter(upc=upc).update(description=SCRIPTED, meta_description="")
    category = Category.objects.get(slug="treatments")
    category.description = SCRIPTED
    category.long_description = SCRIPTED
    category.meta_description = ""
    category.save()

    for upc in ("TUI", "TUI-5", "WP-MOXA"):
        product = Product.objects.get(upc=upc)
        page = _text(client.get(product.get_absolute_url()))
        assert "Good for the knees." in page
        assert "<strong>Warm</strong> the joint." in page  # the Markdown itself still works
        _assert_no_active_content(page)
        # The meta description is plain text, not Markdown or HTML source.
        description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
        assert description.startswith("Good for the knees.")
        assert "**" not in description and "&lt;" not in description
    page = _text(client.get(category.get_absolute_url()))
    assert "Good for the knees." in page
    _assert_no_active_content(page)
    for url in ("/", "/catalogue/", "/conditions/knee-osteoarthritis/", "/search/?q=tuina"):
        _assert_no_active_content(_text(client.get(url)))


def test_responses_carry_the_security_headers_and_secure_cookies(client, catalogue, settings):
    # The tests run with DEBUG off: these are the production settings (less the HTTPS redirect).
    assert settings.DEBUG is False
    added = _add(client, Product.objects.get(upc="TUI-5"), 1)  # a guest's basket cookie

    response = client.get("/accounts/login/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response.cookies["csrftoken"]["secure"] is True
    basket_cookie = added.cookies["oscar_open_basket"]
    assert basket_cookie["secure"] is True
    assert basket_cookie["httponly"] is True
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.parametrize("url", ["/catalogue/", "/search/?q=tuina"])
def test_listings_offer_no_refinement_that_leads_nowhere(client, catalogue, url):
    """Whoosh facets offered stemmed words ("packag", "well") and "Rating: None" with 0 results."""
    page = _text(client.get(url))

    assert "Refine by" not in page
    assert "selected_facets=" not in page


def test_recently_viewed_products_show_their_gst_like_every_other_card(client, catalogue):
    moxa = Product.objects.get(upc="WP-MOXA")
    client.get(moxa.get_absolute_url())

    page = _text(client.get(Product.objects.get(upc="WP-KNEE").get_absolute_url()))

    recent = page[page.index("Products you recently viewed") :]
    assert moxa.get_title() in recent
    assert "GST not charged" not in page
    assert "incl. S$1.56 GST" in recent  # S$18.90 x 9/109


def test_chinese_names_are_marked_as_chinese_for_a_cjk_font(client, catalogue):
    page = _text(client.get(Product.objects.get(upc="TUI").get_absolute_url()))

    assert '<p class="lead chinese-name" lang="zh">推拿</p>' in page
    # The rule is in the shop's stylesheet (the Content-Security-Policy allows no inline style).
    assert '<link rel="stylesheet" href="/static/shop/css/site.css" />' in page
    css = (
        Path(django_settings.BASE_DIR) / "shop" / "static" / "shop" / "css" / "site.css"
    ).read_text()
    assert re.search(r'\[lang\|="zh"\] \{\s*font-family:[^}]*"Noto Sans CJK SC"', css)


@pytest.mark.parametrize(
    "url", ["/?page=abc", "/conditions/?page=7", "/conditions/sciatica/?page=2", "/basket/?page=x"]
)
def test_a_stray_page_parameter_is_no_canonical_address_of_its_own(
    client, catalogue, settings, url
):
    page = _text(client.get(url))

    path = url.split("?")[0]
    assert f'<link rel="canonical" href="{settings.SITE_URL}{path}" />' in page


def test_a_script_in_staff_written_offers_and_ranges_never_reaches_the_page(client, catalogue):
    from oscar.test.factories import ConditionalOfferFactory

    offer = ConditionalOfferFactory(name="Knee week", slug="knee-week", description=SCRIPTED)
    featured = get_model("offer", "Range").objects.get(slug="featured-treatments")
    featured.description = SCRIPTED
    featured.save()

    for url in ("/offers/", f"/offers/{offer.slug}/", "/catalogue/ranges/featured-treatments/"):
        page = _text(client.get(url))
        assert "<strong>Warm</strong> the joint." in page, url
        _assert_no_active_content(page)


def test_a_server_error_is_a_plain_page_that_needs_neither_database_nor_request():
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/basket/"))

    assert response.status_code == 500
    page = _text(response)
    assert "Sorry, something went wrong" in page
    assert "Nothing you paid for is lost" in page
    assert '<a href="/">' in page
