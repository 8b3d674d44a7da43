"""The dashboard's "Content" section and the content fields of the product page."""

import re

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


def test_the_menu_names_the_content_section_apart_from_oscars_content(client, clinic_staff):
    # Oscar's own "Content" entry (email templates, reviews) is in clinic staff's menu too.
    client.force_login(clinic_staff)
    page = client.get("/dashboard/").content.decode()
    menu = page.split('id="bottom_nav_bar"', 1)[1].split("</nav>", 1)[0]

    sections = re.findall(r'dropdown-toggle"[^>]*>\s*(?:<i[^>]*></i>)?\s*([^<]+?)\s*</a>', menu)

    assert "Health content" in sections and "Content" in sections
    assert len(sections) == len(set(sections)), sections
    health = menu.split("Health content", 1)[1].split("</div>", 1)[0]
    assert "/dashboard/content/conditions/" in health and "/dashboard/content/articles/" in health


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


def product_form_data(response) -> dict:
    """Return the POST data of a product's dashboard page as it is shown (nothing changed)."""
    form = response.context["form"]
    data = {
        name: value
        for name, value in {**form.initial, **{f.name: f.value() for f in form}}.items()
        if value is not None and not name.startswith("attr_")
    }
    formsets = {
        "stockrecords": "stockrecord_formset",
        "categories": "category_formset",
        "images": "image_formset",
        "recommended_products": "recommended_formset",
    }
    for prefix, context_name in formsets.items():
        formset = response.context[context_name]
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
    return data


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

    data = product_form_data(response)
    data.update({"conditions": [knee.pk, back.pk], "articles": [article.pk]})
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


def _top(locator) -> float:
    return locator.bounding_box()["y"]


def _bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def _sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login-username").fill(user.email)
    page.locator("#id_login-password").fill("secret-pass-123")  # UserFactory's password
    page.locator("button[name=login_submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_staff_tick_treatments_in_a_browser_and_nothing_covers_the_form(
    page, catalogue, clinic_staff
):
    # Oscar gave the checkbox lists the text-box style, which drew them over the fields
    # below them: the boxes must be where a click lands, and the fields after them too.
    page.set_default_timeout(5_000)
    _sign_in(page, clinic_staff)
    page.goto("/dashboard/content/conditions/create/")
    assert _bottom(page.locator("#id_treatments input").last) < _top(page.get_by_label("Ordering"))
    page.get_by_label("Name", exact=True).fill("Frozen shoulder")
    page.get_by_label("Slug").fill("frozen-shoulder")
    page.get_by_label("Summary").fill("Stiff, painful shoulder.")
    page.get_by_label("Tuina Acupressure", exact=True).click()
    page.get_by_label("Acupuncture", exact=True).click()
    page.get_by_label("Ordering").click()
    page.get_by_label("Ordering").fill("3")
    page.get_by_label("Published").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved “Frozen shoulder”.").wait_for()

    condition = Condition.objects.get(slug="frozen-shoulder")
    assert {p.slug for p in condition.treatments.all()} == {"tuina-acupressure", "acupuncture"}
    assert condition.ordering == 3 and condition.is_published

    product = Product.objects.get(slug="moxa-sticks")
    page.goto(f"/dashboard/catalogue/products/{product.pk}/")
    conditions, articles = page.locator("#id_conditions input"), page.locator("#id_articles input")
    assert _bottom(conditions.last) < _top(articles.first)
    page.get_by_label("Frozen shoulder").click()
    page.get_by_label("How TCM may help with knee and back pain").click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/dashboard/catalogue/")

    assert list(product.conditions.all()) == [condition]
    assert [a.slug for a in product.articles.all()] == ["tcm-for-knee-and-back-pain"]
    page.goto(product.get_absolute_url())
    assert page.get_by_role("link", name="Frozen shoulder").first.is_visible()
