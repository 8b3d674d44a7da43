"""Search finds products, conditions and articles."""

import pytest
from django.core.management import call_command

from shop.content.models import Condition

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(db):
    """Build the search index from this test's database (other tests leave it changed)."""
    call_command("rebuild_index", interactive=False, verbosity=0)


def _search(client, q: str) -> str:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def _sections(page: str) -> tuple[str, str, str]:
    conditions = (
        page.split('class="search-conditions')[1].split("</section>")[0]
        if 'class="search-conditions' in page
        else ""
    )
    articles = (
        page.split('class="search-articles')[1].split("</section>")[0]
        if 'class="search-articles' in page
        else ""
    )
    products = page.split('class="h4 search-products"')[1]
    return conditions, articles, products


@pytest.mark.parametrize(
    ("query", "condition", "product"),
    [
        ("sciatica", "/conditions/sciatica/", "Acupuncture"),
        ("knee", "/conditions/knee-osteoarthritis/", "Tuina Acupressure"),
        ("kidney", "/conditions/lower-back-pain/", "Kidney Wellness Therapy"),
        ("cupping", "/conditions/lower-back-pain/", "Yu Quan Guan Cupping"),
    ],
)
def test_search_finds_each_kind(client, index, query, condition, product):
    conditions, articles, products = _sections(_search(client, query))
    assert f'href="{condition}"' in conditions
    assert 'href="/articles/tcm-for-knee-and-back-pain/"' in articles
    assert product in products


def test_unpublished_conditions_leave_the_search(client, index, clinic_staff):
    client.force_login(clinic_staff)
    sciatica = Condition.objects.get(slug="sciatica")
    client.post(f"/dashboard/content/conditions/{sciatica.pk}/publish/", {"published": "0"})
    client.logout()
    conditions, _, products = _sections(_search(client, "sciatica"))
    assert "/conditions/sciatica/" not in conditions
    assert "Acupuncture" in products
    client.force_login(clinic_staff)
    client.post(f"/dashboard/content/conditions/{sciatica.pk}/publish/", {"published": "1"})
    client.logout()
    conditions, _, _ = _sections(_search(client, "sciatica"))
    assert 'href="/conditions/sciatica/"' in conditions


def test_catalogue_browsing_still_lists_products_only(client, index):
    page = client.get("/catalogue/").content.decode()
    assert "Acupuncture" in page
    assert 'class="search-conditions' not in page
