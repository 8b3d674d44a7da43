"""The clinic's pages: about, contact, privacy, terms of sale and refunds."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from shop.content.models import Page

pytestmark = pytest.mark.django_db

PAGES = {
    "/about/": ("About the clinic", ["TCMPB registration no.", "TCM-09412A"]),
    "/contact/": ("Contact us and how to get here", ["Opening hours", "MRT", "bus"]),
    "/privacy/": ("Privacy policy", ["PDPA", "Data Protection Officer", "within 30 days"]),
    "/terms/": ("Terms of sale", ["valid", "for the person who bought it", "24 hours"]),
    "/refunds/": ("Refunds", ["unused session", "per-session price"]),
}


@pytest.mark.parametrize("url", PAGES)
def test_each_page_answers_with_its_title_and_description(client, url):
    title, phrases = PAGES[url]
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"<title>{title} | " in " ".join(page.split())
    assert f"<h1>{title}</h1>" in page
    slug = url.strip("/")
    meta = escape(Page.objects.get(slug=slug).meta_description)
    assert f'<meta name="description" content="{meta}' in " ".join(page.split())
    for phrase in phrases:
        assert phrase in page, phrase
    assert reverse("pages:detail", kwargs={"slug": slug}) == reverse(f"pages:{slug}") == url


def test_contact_page_gives_the_clinics_details_and_a_whatsapp_link(client, settings):
    from shop.bookings.models import Location

    Location.objects.update(address="", phone="", opening_hours="")  # none kept: the settings
    settings.CLINIC_PHONE = "+65 6123 4567"
    settings.CLINIC_ADDRESS = "1 Example Road, #01-02, Singapore 088888"
    page = client.get("/contact/").content.decode()

    assert "1 Example Road, #01-02, Singapore 088888" in page
    assert 'href="tel:+65 6123 4567"' in page
    assert 'href="https://wa.me/6561234567"' in page
    assert "{clinic_" not in page


def test_contact_page_takes_address_phone_and_hours_from_the_clinics_location(client):
    from shop.bookings.models import Location

    Location.objects.update(
        address="5 Other Street, Singapore 099999",
        phone="+65 6999 0000",
        opening_hours="Mon-Sat 08:00-16:00",
    )
    page = client.get("/contact/").content.decode()

    assert "5 Other Street, Singapore 099999" in page
    assert 'href="tel:+65 6999 0000"' in page
    assert "Mon-Sat 08:00-16:00" in page


def test_unknown_pages_are_404(client):
    assert client.get("/about-us/").status_code == 404
    Page.objects.filter(slug="refunds").delete()
    assert client.get("/refunds/").status_code == 404


def test_staff_edit_a_page_and_it_shows_sanitised(client, clinic_staff):
    page = Page.objects.get(slug="terms")
    client.force_login(clinic_staff)
    assert "Terms of sale" in client.get("/dashboard/content/pages/").content.decode()
    form_url = f"/dashboard/content/pages/{page.pk}/"
    assert client.get(form_url).status_code == 200

    response = client.post(
        form_url,
        {
            "title": "Terms of sale",
            "meta_description": "Our terms.",
            "body": "Sessions are valid for **one year**.\n\n<script>alert('x')</script>"
            "\n\n[call](javascript:alert('y')) {clinic_phone}",
        },
    )

    assert response.status_code == 302
    client.logout()
    shown = client.get("/terms/").content.decode()
    assert "Sessions are valid for <strong>one year</strong>." in shown
    assert "alert(" not in shown and "javascript:" not in shown
    assert "+65" in shown.split("one year")[1]  # the clinic's phone, filled in


def test_pages_are_edited_never_added_and_only_by_staff(client, clinic_staff, accountant):
    page = Page.objects.get(slug="about")
    client.force_login(clinic_staff)
    assert client.get("/dashboard/content/pages/create/").status_code == 404
    client.force_login(accountant)
    assert client.get("/dashboard/content/pages/").status_code == 403
    response = client.post(
        f"/dashboard/content/pages/{page.pk}/",
        {"title": "Hacked", "meta_description": "x", "body": "x"},
    )
    assert response.status_code == 403
    page.refresh_from_db()
    assert page.title == "About the clinic"


def test_a_bad_edit_is_a_form_error(client, clinic_staff):
    page = Page.objects.get(slug="privacy")
    client.force_login(clinic_staff)
    response = client.post(
        f"/dashboard/content/pages/{page.pk}/",
        {"title": "", "meta_description": "x" * 161, "body": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"title", "meta_description", "body"}
    page.refresh_from_db()
    assert page.title == "Privacy policy"


def test_the_sitemap_lists_the_pages(client, settings):
    xml = client.get("/sitemap.xml").content.decode()
    for url in PAGES:
        assert f"<loc>{settings.SITE_URL}{url}</loc>" in xml
