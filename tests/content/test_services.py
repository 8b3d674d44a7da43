"""Loading the clinic's content: complete, linked as the article pairs them, idempotent."""

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from shop.content.models import Article, Condition
from shop.content.services import content_load

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

PAIRS = {
    "knee-osteoarthritis": {"tuina-acupressure"},
    "slipped-disc": {"five-elements-meridian-treatment"},
    "lower-back-pain": {
        "five-elements-meridian-treatment",
        "yu-quan-guan-cupping",
        "kidney-wellness-therapy",
    },
    "sciatica": {"acupuncture"},
}


def test_fixtures_give_four_conditions_linked_to_their_treatments_and_the_article():
    for slug, treatments in PAIRS.items():
        condition = Condition.objects.get(slug=slug)
        assert condition.is_published
        assert condition.image  # generated, like the products' images
        assert {p.slug for p in condition.treatments.all()} == treatments
    article = Article.objects.get(slug="tcm-for-knee-and-back-pain")
    assert article.is_published and article.hero_image
    assert {c.slug for c in article.conditions.all()} == set(PAIRS)
    assert {p.slug for p in article.products.all()} == set().union(*PAIRS.values())
    # Every treatment package has at least one condition.
    for parent in Product.objects.filter(product_class__slug="treatment-package", parent=None):
        assert parent.conditions.exists(), parent.title


def test_loading_again_creates_nothing_and_keeps_staff_edits():
    sciatica = Condition.objects.get(slug="sciatica")
    sciatica.summary = "Edited by staff."
    sciatica.save()
    sciatica.treatments.clear()
    Article.objects.filter(slug="tcm-for-knee-and-back-pain").update(is_published=False)

    report = content_load()
    assert report.created == {}
    call_command("load_catalogue", "--no-index", verbosity=0)

    sciatica.refresh_from_db()
    assert sciatica.summary == "Edited by staff."
    assert not sciatica.treatments.exists()
    assert not Article.objects.get(slug="tcm-for-knee-and-back-pain").is_published
    assert Condition.objects.count() == 4 and Article.objects.count() == 1


def test_missing_content_is_created_again():
    Condition.objects.filter(slug="sciatica").delete()
    report = content_load()
    assert report.created == {"conditions": 1, "images": 1}
    sciatica = Condition.objects.get(slug="sciatica")
    assert {p.slug for p in sciatica.treatments.all()} == {"acupuncture"}
