"""Staff-written Markdown reaches the pages sanitised."""

import pytest

from shop.content.models import Article, Condition

pytestmark = pytest.mark.django_db

HOSTILE = """
A **safe** paragraph.

<script>alert("stolen")</script>

<img src="x.png" onerror="alert('img')">

[Click me](javascript:alert('link'))

<a href="javascript:alert('raw')" onclick="alert('click')">raw link</a>
"""


def _assert_clean(page: str) -> None:
    assert "<strong>safe</strong>" in page
    # Oscar's own header has an onclick of its own: look for the staff's attempts.
    assert "alert(" not in page
    assert "<script>alert" not in page
    assert "onerror" not in page
    assert "javascript:" not in page


def test_condition_page_strips_scripts_handlers_and_javascript_links(client):
    Condition.objects.create(
        name="Test", slug="hostile", summary="S", tcm_view=HOSTILE, body=HOSTILE, is_published=True
    )
    response = client.get("/conditions/hostile/")
    assert response.status_code == 200
    _assert_clean(response.content.decode())


def test_article_page_strips_scripts_handlers_and_javascript_links(client):
    Article.objects.create(
        title="Test", slug="hostile", summary="S", body=HOSTILE, is_published=True
    )
    response = client.get("/articles/hostile/")
    assert response.status_code == 200
    page = response.content.decode()
    _assert_clean(page)
    assert "raw link" in page  # the text stays; only the dangerous parts go
