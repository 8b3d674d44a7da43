"""The page frame's kept fragments: the header and the footer follow what they show.

The header is kept whole (shop/core/templatetags/fragment_tags.py) with the visitor's own
parts (basket, the search box's words, the sign-out form's CSRF token) put in on every
view; the footer is kept in the process, keyed by the clinic's details it shows.
"""

import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


def _header(html: str) -> str:
    return re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)


def _footer(html: str) -> str:
    return re.search(r'<footer class="clinic-footer">.*?</footer>', html, re.S).group(0)


def _signed_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_renamed_category_shows_in_the_header_at_once(catalogue, patient):
    client = _signed_in(patient)
    category = Category.objects.get_root_nodes().first()
    assert f">{category.name}</a>" in _header(client.get("/catalogue/").content.decode())

    category.name = "Herbal teas and tonics"
    category.save()

    for page in (client.get("/catalogue/"), Client().get(reverse("basket:summary"))):
        assert ">Herbal teas and tonics</a>" in _header(page.content.decode())


def test_the_current_category_is_marked_on_its_own_page_only(catalogue):
    category = Category.objects.get_root_nodes().first()
    url = category.get_absolute_url()
    own = _header(Client().get(url).content.decode())
    other = _header(Client().get(reverse("basket:summary")).content.decode())
    assert f'href="{url}" aria-current="page"' in own
    assert "aria-current" not in other


def test_the_search_box_shows_each_visitors_own_words(catalogue):
    first = _header(Client().get("/search/?q=sciatica").content.decode())
    second = _header(Client().get("/search/?q=shoulder").content.decode())
    third = _header(Client().get("/search/").content.decode())
    assert 'value="sciatica"' in first and "shoulder" not in first
    assert 'value="shoulder"' in second and "sciatica" not in second
    assert 'name="q" id="site-search-q" value=""' in third


def test_the_search_box_escapes_the_words(catalogue):
    header = _header(Client().get('/search/?q="><b>x</b>').content.decode())
    assert "<b>x</b>" not in header and "&lt;b&gt;x&lt;/b&gt;" in header


def test_each_patient_signs_out_with_their_own_token_from_the_kept_header(
    catalogue, patient, clinic_staff
):
    clients = [_signed_in(user, enforce_csrf_checks=True) for user in (patient, clinic_staff)]
    tokens = []
    for client in clients:
        client.get(reverse("basket:summary"))  # the header is kept
        header = _header(client.get(reverse("basket:summary")).content.decode())
        form = re.search(r'<form id="logout_form".*?</form>', header, re.S).group(0)
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1))
    assert tokens[0] != tokens[1]
    for client, token in zip(clients, tokens, strict=True):
        signed_out = client.post(reverse("customer:logout"), {"csrfmiddlewaretoken": token})
        assert signed_out.status_code == 302
        page = client.get(reverse("basket:summary")).content.decode()
        assert "Log in or register" in _header(page)


def test_the_footer_follows_the_clinics_details(catalogue):
    before = _footer(Client().get(reverse("basket:summary")).content.decode())
    with override_settings(CLINIC_PHONE="6123 0000", CLINIC_HOURS="Mon-Sun 8am-10pm"):
        after = _footer(Client().get(reverse("basket:summary")).content.decode())
    assert "6123 0000" in after and "6123 0000" not in before
    assert "Mon-Sun 8am-10pm" in after
    again = _footer(Client().get(reverse("basket:summary")).content.decode())
    assert again == before


def test_the_footer_follows_the_gst_mode(catalogue):
    with override_settings(SHOP_GST_REGISTERED=False):
        unregistered = _footer(Client().get(reverse("basket:summary")).content.decode())
    registered = _footer(Client().get(reverse("basket:summary")).content.decode())
    assert "GST is not charged" in unregistered
    assert "% GST" in registered


# --- The tag itself -------------------------------------------------------------------


def _render(source: str, **values) -> str:
    request = RequestFactory().get("/")
    template = Template("{% load fragment_tags %}" + source)
    return template.render(Context({"request": request, **values}))


def test_a_live_part_is_rendered_on_every_view_and_the_rest_is_kept():
    source = "{% fragment t1 key %}[{{ word }}|{% live %}{{ word }}{% endlive %}]{% endfragment %}"
    assert _render(source, key="a", word="one") == "[one|one]"
    assert _render(source, key="a", word="two") == "[one|two]"  # kept but for the live part
    assert _render(source, key="b", word="three") == "[three|three]"


def test_a_live_part_in_a_loop_is_shown_right_and_not_kept():
    source = (
        "{% fragment t2 key %}{% for n in items %}{% live %}{{ n }}{% endlive %},"
        "{% endfor %}{{ word }}{% endfragment %}"
    )
    assert _render(source, key="a", items=[1, 2], word="x") == "1,2,x"
    assert _render(source, key="a", items=[3], word="y") == "3,y"


def test_a_fragment_inside_another_is_part_of_it():
    source = (
        "{% fragment t3 key %}<{% fragment t4 key %}{{ word }}{% live %}{{ word }}{% endlive %}"
        "{% endfragment %}>{% endfragment %}"
    )
    assert _render(source, key="a", word="one") == "<oneone>"
    assert _render(source, key="a", word="two") == "<onetwo>"


def test_a_fixed_fragment_is_keyed_by_what_it_names():
    source = "{% fixed_fragment t5 phone %}{{ phone }}{{ other }}{% endfixed_fragment %}"
    assert _render(source, phone="1", other="a") == "1a"
    assert _render(source, phone="1", other="b") == "1a"  # kept: `other` is not in its key
    assert _render(source, phone="2", other="b") == "2b"


def test_a_live_part_in_a_filter_is_shown_right_and_not_kept():
    source = (
        "{% fragment t6 key %}{% filter upper %}{% live %}{{ word }}{% endlive %}"
        "{% endfilter %}{% endfragment %}"
    )
    assert _render(source, key="a", word="one") == "ONE"
    assert _render(source, key="a", word="two") == "TWO"
