"""The public pages of conditions and articles, and their links with the catalogue."""

import re

import pytest
from oscar.core.loading import get_model

from shop.content.models import Article, Condition

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_condition_list_shows_the_four_conditions(client):
    response = client.get("/conditions/")
    assert response.status_code == 200
    page = _text(response)
    for name in ("Knee osteoarthritis", "Slipped disc", "Lower back pain", "Sciatica"):
        assert name in page


def test_condition_page_shows_its_treatments_with_prices_and_articles(client):
    response = client.get("/conditions/lower-back-pain/")
    assert response.status_code == 200
    page = _text(response)
    assert "The TCM view" in page
    assert "kidney" in page.lower()
    # Its treatments, as cards with prices and add-to-basket buttons for each package.
    for title in ("Yu Quan Guan Cupping", "Kidney Wellness Therapy", "Five Elements Meridian"):
        assert title in page
    assert "Acupuncture" not in page.split("Treatments that may help")[1].split("Read more")[0]
    assert "S$68.80" in page
    assert page.count('action="/basket/add/') >= 9
    # Related article and the disclaimer.
    assert "How TCM may help with knee and back pain" in page
    assert "Medical disclaimer" in page


def test_article_list_and_page_link_treatments_and_conditions(client):
    response = client.get("/articles/")
    assert response.status_code == 200
    assert "How TCM may help with knee and back pain" in _text(response)

    response = client.get("/articles/tcm-for-knee-and-back-pain/")
    assert response.status_code == 200
    page = _text(response)
    related = page.split("Conditions in this article")[1]
    for slug in ("knee-osteoarthritis", "slipped-disc", "lower-back-pain", "sciatica"):
        assert f'href="/conditions/{slug}/"' in related
    for title in ("Tuina Acupressure", "Acupuncture", "Yu Quan Guan Cupping"):
        assert title in page
    assert 'action="/basket/add/' in page
    assert "Medical disclaimer" in page


def test_product_page_shows_conditions_and_articles(client):
    product = Product.objects.get(slug="acupuncture")
    response = client.get(product.get_absolute_url())
    page = _text(response)
    section = page.split("May help with")[1]
    assert 'href="/conditions/sciatica/"' in section
    assert 'href="/articles/tcm-for-knee-and-back-pain/"' in page.split("Read more")[1]
    # A package (child product) page shows its treatment's links.
    child = product.children.first()
    assert 'href="/conditions/sciatica/"' in _text(client.get(child.get_absolute_url()))


def test_catalogue_cards_and_home_page_show_conditions(client):
    home = _text(client.get("/"))
    assert "What brings you here?" in home
    for slug in ("knee-osteoarthritis", "slipped-disc", "lower-back-pain", "sciatica"):
        assert f'href="/conditions/{slug}/"' in home
    # Product cards, on the home page and in the catalogue, carry condition tags.
    featured = home.split("Featured treatments and products")[1]
    assert re.search(
        r'class="badge badge-info condition-tag[^"]*" href="/conditions/sciatica/"', featured
    )
    catalogue = _text(client.get("/catalogue/"))
    tags = re.findall(r'condition-tag[^"]*" href="(/conditions/[^"]+)"', catalogue)
    assert {"/conditions/sciatica/", "/conditions/knee-osteoarthritis/"} <= set(tags)


def test_add_to_basket_from_a_condition_page_lands_in_the_basket(client):
    page = _text(client.get("/conditions/sciatica/"))
    five = Product.objects.get(upc="ACU-5")
    assert f'action="/basket/add/{five.pk}/"' in page
    response = client.post(f"/basket/add/{five.pk}/", {"quantity": 1}, follow=True)
    assert response.status_code == 200
    basket = _text(client.get("/basket/"))
    assert "Acupuncture, 5 sessions" in basket
    assert "S$355.00" in basket


def test_unpublished_content_is_404_for_the_public_and_previewable_by_staff(
    client, draft_condition, draft_article, patient, accountant, clinic_staff
):
    for url in (draft_condition.get_absolute_url(), draft_article.get_absolute_url()):
        assert client.get(url).status_code == 404
        client.force_login(patient)
        assert client.get(url).status_code == 404
        client.force_login(accountant)
        assert client.get(url).status_code == 404
        client.force_login(clinic_staff)
        response = client.get(url)
        assert response.status_code == 200
        assert "This page is not published" in _text(response)
        client.logout()
    # Drafts are not listed either.
    assert "Frozen shoulder" not in _text(client.get("/conditions/"))
    assert "Draft on shoulders" not in _text(client.get("/articles/"))


def test_pages_have_title_description_canonical_and_open_graph(client, settings):
    response = client.get("/conditions/sciatica/")
    page = _text(response)
    assert re.search(r"<title>\s*Sciatica", page)
    assert '<meta name="description" content="Pain, tingling' in page
    assert f'<link rel="canonical" href="{settings.SITE_URL}/conditions/sciatica/"' in page
    assert '<meta property="og:title" content="Sciatica' in page
    assert '<meta property="og:type" content="article"' in page
    assert re.search(r'<meta property="og:image" content="http[^"]+\.png"', page)

    product = Product.objects.get(slug="acupuncture")
    page = _text(client.get(product.get_absolute_url()))
    assert '<meta property="og:title" content="Acupuncture"' in page
    assert f'<link rel="canonical" href="{settings.SITE_URL}{product.get_absolute_url()}"' in page

    page = _text(client.get("/articles/tcm-for-knee-and-back-pain/"))
    assert '<meta property="og:title" content="How TCM may help with knee and back pain"' in page


def test_sitemap_lists_products_conditions_and_articles(client, settings, draft_condition):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = _text(response)
    assert f"<loc>{settings.SITE_URL}/conditions/sciatica/</loc>" in xml
    assert f"<loc>{settings.SITE_URL}/articles/tcm-for-knee-and-back-pain/</loc>" in xml
    product = Product.objects.get(slug="acupuncture")
    assert f"<loc>{settings.SITE_URL}{product.get_absolute_url()}</loc>" in xml
    assert "frozen-shoulder" not in xml


@pytest.mark.parametrize("kind", ["condition", "article"])
def test_page_queries_do_not_grow_with_linked_products(
    client, make_treatment, django_assert_max_num_queries, kind
):
    condition = Condition.objects.create(
        name="Test ache", slug="test-ache", summary="An ache.", is_published=True
    )
    article = Article.objects.create(
        title="On aches", slug="on-aches", summary="S", body="B", is_published=True
    )
    article.conditions.add(condition)
    target = condition if kind == "condition" else article
    links = target.treatments if kind == "condition" else target.products
    url = target.get_absolute_url()
    links.add(make_treatment(), Product.objects.get(slug="moxa-sticks"))

    client.get(url)  # warm up: thumbnails are made once
    with django_assert_max_num_queries(100) as few:
        response = client.get(url)
    few_queries = len(few)
    assert response.status_code == 200
    assert _text(response).count('action="/basket/add/') == 3

    links.add(
        *[make_treatment() for _ in range(10)], Product.objects.get(slug="herbal-heat-patches")
    )
    client.get(url)
    with django_assert_max_num_queries(few_queries):
        response = client.get(url)
    assert _text(response).count('action="/basket/add/') == 24


def test_articles_are_listed_newest_first_ten_a_page(client, settings):
    from datetime import date, timedelta

    start = date(2025, 6, 1)
    for n in range(12):
        Article.objects.create(
            title=f"Note number {n:02d}",
            slug=f"note-{n}",
            summary="S",
            body="B",
            published_date=start + timedelta(days=n),
            is_published=True,
        )
    Article.objects.create(
        title="Not due yet",
        slug="future",
        summary="S",
        body="B",
        published_date=date.today() + timedelta(days=30),
        is_published=True,
    )
    first = _text(client.get("/articles/"))
    titles = re.findall(r"Note number (\d\d)", first)
    assert titles == [f"{n:02d}" for n in range(11, 1, -1)]
    assert "Not due yet" not in first
    second = _text(client.get("/articles/", {"page": 2}))
    assert re.findall(r"Note number (\d\d)", second) == ["01", "00"]
    assert "How TCM may help with knee and back pain" in second
    assert f'<link rel="canonical" href="{settings.SITE_URL}/articles/?page=2"' in second
    assert client.get("/articles/", {"page": 99}).status_code == 404
    assert client.get("/articles/future/").status_code == 404
