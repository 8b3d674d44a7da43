"""Search finds products, conditions and articles by Chinese words, and suggests on a miss."""

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from shop.content.models import Condition
from tests.content.test_search import _search, _sections

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

ARTICLE = 'href="/articles/tcm-for-knee-and-back-pain/"'


@pytest.fixture
def index(db):
    """Build the search index from this test's database (other tests leave it changed)."""
    call_command("rebuild_index", interactive=False, verbosity=0)


def _url(slug: str) -> str:
    return f'href="{Product.objects.get(slug=slug).get_absolute_url()}"'


@pytest.mark.parametrize(
    ("query", "condition", "products", "article"),
    [
        # Treatment names, found on the treatment and inside the article's text.
        ("推拿", None, ["tuina-acupressure"], True),
        ("针灸", None, ["acupuncture"], True),
        # 腰痛 (lower back pain): the condition, and the treatments that may help it.
        ("腰痛", "lower-back-pain", ["yu-quan-guan-cupping", "kidney-wellness-therapy"], False),
        # 膝盖 (knee) inside the knee condition's words (膝盖痛), and its treatment.
        ("膝盖", "knee-osteoarthritis", ["tuina-acupressure"], False),
        # Part of a longer word: 坐骨 and 神经痛 inside 坐骨神经痛 (sciatica).
        ("坐骨", "sciatica", ["acupuncture"], False),
        ("神经痛", "sciatica", ["acupuncture"], False),
        # A wellness product by its Chinese name.
        ("枸杞", None, ["chrysanthemum-goji-tea"], False),
    ],
)
def test_chinese_words_find_each_kind(client, index, query, condition, products, article):
    conditions, articles, found = _sections(_search(client, query))

    if condition:
        assert f'href="/conditions/{condition}/"' in conditions
    for slug in products:
        assert _url(slug) in found, slug
    assert (ARTICLE in articles) is article
    assert "Did you mean" not in found


def test_a_chinese_name_staff_add_is_found_at_once(client, index, clinic_staff):
    condition = Condition.objects.get(slug="slipped-disc")
    client.force_login(clinic_staff)
    response = client.post(
        f"/dashboard/content/conditions/{condition.pk}/",
        {
            "name": condition.name,
            "chinese_name": "腰椎间盘突出症",
            "slug": condition.slug,
            "summary": condition.summary,
            "treatments": [p.pk for p in condition.treatments.all()],
            "ordering": condition.ordering,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    client.logout()

    conditions, _, products = _sections(_search(client, "突出症"))

    assert 'href="/conditions/slipped-disc/"' in conditions
    assert _url("five-elements-meridian-treatment") in products


def test_a_search_that_finds_nothing_suggests_products_and_conditions(
    client, index, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        page = _search(client, "acupunture")

    suggestions = page.split('class="search-suggestions')[1].split("</section>")[0]
    assert "Did you mean" in suggestions
    assert _url("acupuncture") + ">Acupuncture</a>" in suggestions
    for slug in ("knee-osteoarthritis", "slipped-disc", "lower-back-pain", "sciatica"):
        assert f'href="/conditions/{slug}/"' in suggestions
    assert "坐骨神经痛" in suggestions


def test_a_search_that_finds_something_suggests_nothing(client, index):
    page = _search(client, "cupping")
    assert 'class="search-suggestions' not in page
