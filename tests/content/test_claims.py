"""Modest wording: staff are warned before saving a text that promises a cure."""

import pytest
import yaml
from django.conf import settings
from oscar.core.loading import get_model

from shop.content.claims import claims_find
from shop.content.models import Condition
from tests.content.test_dashboard import product_form_data

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

FIXTURES = settings.BASE_DIR / "catalogue_fixtures"


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("Acupuncture cures sciatica.", ["cures"]),
        ("Results guaranteed, a miracle for stiff knees", ["guaranteed", "miracle"]),
        ("Our cupping treats diabetes and high blood pressure.", ["treats diabetes"]),
        ("It heals chronic lower back pain", ["heals chronic lower back pain"]),
        ("100% effective", ["100% effective"]),
        ("根治腰痛, 治疗高血压", ["根治", "治疗高血压"]),
        ("Acupuncture may help relieve sciatic pain.", []),
        ("TCM treats the body as one connected system; a secure, accurate booking.", []),
    ],
)
def test_claims_are_found_and_modest_words_are_not(text, claims):
    assert claims_find(text=text) == claims


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("name", ["catalogue.yaml", "content.yaml"])
def test_the_fixtures_own_texts_make_no_claim(name):
    data = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    found = {
        text[:60]: claims_find(text=text) for text in _strings(data) if claims_find(text=text)
    }
    assert found == {}


CONDITION = {
    "name": "Diabetes care",
    "slug": "diabetes-care",
    "summary": "Our acupuncture cures diabetes.",
    "body": "Guaranteed results.",
    "ordering": 60,
}


def test_the_condition_form_warns_and_saves_only_when_told_to(client, clinic_staff):
    client.force_login(clinic_staff)

    response = client.post("/dashboard/content/conditions/create/", CONDITION)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Check the wording before saving" in page
    assert "“cures” (Summary)" in page and "“Guaranteed” (Body)" in page
    assert 'type="checkbox" name="save_anyway"' in page
    assert not Condition.objects.filter(slug="diabetes-care").exists()

    response = client.post(
        "/dashboard/content/conditions/create/", {**CONDITION, "save_anyway": "on"}
    )
    assert response.status_code == 302
    assert Condition.objects.get(slug="diabetes-care").summary == CONDITION["summary"]


def test_modest_text_saves_without_a_warning(client, clinic_staff):
    client.force_login(clinic_staff)
    data = {**CONDITION, "summary": "Acupuncture may help you feel better.", "body": "Text."}
    response = client.post("/dashboard/content/conditions/create/", data)
    assert response.status_code == 302


def test_the_product_form_warns_before_saving_a_claim(client, clinic_staff):
    client.force_login(clinic_staff)
    product = Product.objects.get(slug="acupuncture")
    url = f"/dashboard/catalogue/products/{product.pk}/"
    data = product_form_data(client.get(url))
    data["description"] = "Acupuncture treats sciatica, guaranteed."

    response = client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Check the wording before saving" in page
    assert "“treats sciatica” (Description)" in page and "“guaranteed”" in page
    assert 'type="checkbox" name="save_anyway"' in page
    product.refresh_from_db()
    assert "guaranteed" not in product.description

    response = client.post(url, {**data, "save_anyway": "on"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.description == "Acupuncture treats sciatica, guaranteed."
