"""The dashboard's "Content" section and the content fields of the product page."""

import pytest
from django.db.models.fields.files import FieldFile
from oscar.core.loading import get_model

from shop.content.models import Article, Condition

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

LIST_URLS = ["/dashboard/content/conditions/", "/dashboard/content/articles/"]


def test_clinic_staff_see_the_content_section(client, clinic_staff):
    client.force_login(clinic_staff)
    page = client.get("/dashboard/").content.decode()
    assert "/dashboard/content/conditions/" in page  # the "Content" menu
    response = client.get("/dashboard/content/conditions/")
    assert response.status_code == 200
    assert "Sciatica" in response.content.decode()
    response = client.get("/dashboard/content/articles/")
    assert "How TCM may help with knee and back pain" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        *LIST_URLS,
        "/dashboard/content/conditions/create/",
        "/dashboard/content/articles/create/",
    ],
)
def test_accountants_get_403_and_patients_are_sent_to_sign_in(client, accountant, patient, url):
    condition = Condition.objects.get(slug="sciatica")
    client.force_login(accountant)
    assert client.get(url).status_code == 403
    assert client.get(f"/dashboard/content/conditions/{condition.pk}/").status_code == 403
    response = client.post(
        f"/dashboard/content/conditions/{condition.pk}/publish/", {"published": "0"}
    )
    assert response.status_code == 403
    client.force_login(patient)
    response = client.get(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    condition.refresh_from_db()
    assert condition.is_published


def test_staff_create_edit_preview_and_publish_a_condition(client, clinic_staff):
    client.force_login(clinic_staff)
    cupping = Product.objects.get(slug="yu-quan-guan-cupping")
    tuina = Product.objects.get(slug="tuina-acupressure")
    response = client.post(
        "/dashboard/content/conditions/create/",
        {
            "name": "Stiff neck",
            "slug": "stiff-neck",
            "summary": "A neck that will not turn.",
            "tcm_view": "Wind-cold in the **neck** channels.",
            "body": "Often after a night under the air-conditioner.",
            "treatments": [cupping.pk],
            "ordering": 50,
        },
    )
    assert response.status_code == 302
    condition = Condition.objects.get(slug="stiff-neck")
    assert not condition.is_published
    assert list(condition.treatments.all()) == [cupping]
    # A draft: the public gets a 404, staff a preview.
    assert client.get("/conditions/stiff-neck/").status_code == 200
    client.logout()
    assert client.get("/conditions/stiff-neck/").status_code == 404

    client.force_login(clinic_staff)
    response = client.post(
        f"/dashboard/content/conditions/{condition.pk}/",
        {
            "name": "Stiff neck",
            "slug": "stiff-neck",
            "summary": "A neck that will not turn easily.",
            "tcm_view": "Wind-cold.",
            "body": "Body.",
            "treatments": [cupping.pk, tuina.pk],
            "ordering": 50,
        },
    )
    assert response.status_code == 302
    assert set(condition.treatments.all()) == {cupping, tuina}

    response = client.post(
        f"/dashboard/content/conditions/{condition.pk}/publish/", {"published": "1"}
    )
    assert response.status_code == 302
    client.logout()
    page = client.get("/conditions/stiff-neck/").content.decode()
    assert "A neck that will not turn easily." in page
    assert "Tuina Acupressure" in page and "Yu Quan Guan Cupping" in page
    # ...and the treatments link back.
    assert (
        'href="/conditions/stiff-neck/"' in client.get(tuina.get_absolute_url()).content.decode()
    )


def test_staff_create_and_publish_an_article(client, clinic_staff):
    client.force_login(clinic_staff)
    sciatica = Condition.objects.get(slug="sciatica")
    acupuncture = Product.objects.get(slug="acupuncture")
    response = client.post(
        "/dashboard/content/articles/create/",
        {
            "title": "Sitting well at work",
            "slug": "sitting-well",
            "summary": "Small habits for your back.",
            "author": "Clinic team",
            "published_date": "2025-03-01",
            "body": "Stand up every **hour**.",
            "conditions": [sciatica.pk],
            "products": [acupuncture.pk],
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="sitting-well")
    assert 'href="/articles/sitting-well/"' not in client.get("/articles/").content.decode()
    client.post(f"/dashboard/content/articles/{article.pk}/publish/", {"published": "1"})
    client.logout()
    page = client.get("/articles/sitting-well/").content.decode()
    assert "<strong>hour</strong>" in page
    assert 'href="/conditions/sciatica/"' in page
    assert "Acupuncture" in page
    assert "Sitting well at work" in client.get("/conditions/sciatica/").content.decode()


def test_bad_input_is_a_form_error(client, clinic_staff):
    client.force_login(clinic_staff)
    response = client.post(
        "/dashboard/content/conditions/create/",
        {"name": "Dup", "slug": "sciatica", "summary": "x", "ordering": "not a number"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Condition.objects.filter(name="Dup").count() == 0
    response = client.post("/dashboard/content/conditions/999999/publish/", {"published": "1"})
    assert response.status_code == 404


def test_product_dashboard_page_shows_and_edits_its_conditions_and_articles(client, clinic_staff):
    client.force_login(clinic_staff)
    product = Product.objects.get(slug="moxa-sticks")
    knee = Condition.objects.get(slug="knee-osteoarthritis")
    back = Condition.objects.get(slug="lower-back-pain")
    article = Article.objects.get(slug="tcm-for-knee-and-back-pain")
    url = f"/dashboard/catalogue/products/{product.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "May help with (conditions)" in page and "Read more (articles)" in page

    form = response.context["form"]
    data = {
        name: value
        for name, value in {**form.initial, **{f.name: f.value() for f in form}}.items()
        if value is not None and not name.startswith("attr_")
    }
    data.update({"conditions": [knee.pk, back.pk], "articles": [article.pk]})
    for prefix in ("stockrecords", "categories", "images", "recommended_products"):
        formset = response.context[
            {
                "stockrecords": "stockrecord_formset",
                "categories": "category_formset",
                "images": "image_formset",
                "recommended_products": "recommended_formset",
            }[prefix]
        ]
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        if prefix in ("images", "recommended_products"):  # untouched: an empty formset keeps them
            data[f"{formset.prefix}-TOTAL_FORMS"] = data[f"{formset.prefix}-INITIAL_FORMS"] = 0
            continue
        for sub in formset.forms:
            if sub.instance.pk is None:
                continue  # an empty extra form: left blank
            for field in sub:
                value = field.value()
                if isinstance(value, FieldFile):
                    continue  # images stay as they are when none is uploaded
                if value not in (None, ""):
                    data[field.html_name] = value.pk if hasattr(value, "pk") else value
    response = client.post(url, data)
    assert response.status_code == 302, [
        (name, response.context[name].errors) for name in ("form", "recommended_formset")
    ]
    assert set(product.conditions.all()) == {knee, back}
    assert list(product.articles.all()) == [article]
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'href="/conditions/knee-osteoarthritis/"' in page.split("May help with")[1]
    assert "Mugwort Moxa Sticks" in client.get("/conditions/knee-osteoarthritis/").content.decode()

    # Its dashboard page now shows them ticked.
    page = client.get(url).content.decode()
    assert f'value="{knee.pk}" id="id_conditions_' in page or f'value="{knee.pk}"' in page
    assert "checked" in page.split("May help with (conditions)")[1].split("Read more")[0]


def test_accountant_cannot_reach_the_product_dashboard_page(client, accountant):
    product = Product.objects.get(slug="moxa-sticks")
    client.force_login(accountant)
    assert client.get(f"/dashboard/catalogue/products/{product.pk}/").status_code == 403
