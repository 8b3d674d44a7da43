"""Writes to the clinic's content: linking, publishing, indexing and loading the fixtures."""

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model

from catalogue_fixtures.make_images import render_image
from shop.content.models import Article, Condition

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")

CONTENT_FILE = Path(settings.BASE_DIR) / "catalogue_fixtures" / "content.yaml"


def product_content_set(*, product, conditions, articles) -> None:
    """Set the conditions a product may help with and the articles it is linked to."""
    product.conditions.set(conditions)
    product.articles.set(articles)
    for instance in [*conditions, *articles]:
        content_index_update(instance=instance)


def content_publish(*, instance: Condition | Article, published: bool) -> None:
    """Publish or unpublish a condition or article; the search index follows."""
    instance.is_published = published
    instance.save(update_fields=["is_published", "date_updated"])
    content_index_update(instance=instance)


def content_index_update(*, instance: Condition | Article) -> None:
    """Bring one condition or article's search entry up to date (unpublished: removed).

    A search outage must not stop staff from saving: it is logged, and the next
    `update_index` brings the entry back.
    """
    from haystack import connections

    try:
        index = connections["default"].get_unified_index().get_index(type(instance))
        index.update_object(instance)
    except Exception:
        logger.exception("Could not update the search index for %r", instance)


# --- Loading the clinic's content from catalogue_fixtures/ ------------------


@dataclass
class ContentLoadReport:
    """What a load created: counts by kind."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def content_read(*, path: Path = CONTENT_FILE) -> dict:
    """Return the clinic's conditions and articles from their YAML file."""
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _image(instance, field_name: str, *, title: str, subtitle: str, report) -> None:
    image = getattr(instance, field_name)
    if image:  # staff may have replaced it: keep theirs
        return
    png = render_image(title=title, subtitle=subtitle, seed=f"content-{instance.slug}")
    image.save(f"{instance.slug}.png", ContentFile(png), save=True)
    report.add("images")


def _fields(item: dict, names: tuple[str, ...]) -> dict:
    return {name: item[name].strip() if isinstance(item[name], str) else item[name]
            for name in names if name in item}  # fmt: skip


@transaction.atomic
def content_load(
    *, data: dict | None = None, catalogue: dict | None = None, refresh: bool = False
) -> ContentLoadReport:
    """Load the clinic's conditions and articles, creating only what is missing.

    A condition made by this load is linked to the treatments that list it in
    the catalogue data, and an article to its conditions and products; what
    staff change later (texts, links, publishing) is kept when it runs again.
    With `refresh=True` texts are set from the data again and the links added.
    """
    from shop.catalogue.services import catalogue_read

    data = data if data is not None else content_read()
    catalogue = catalogue if catalogue is not None else catalogue_read()
    report = ContentLoadReport()
    products = {p.slug: p for p in Product.objects.browsable()}

    conditions = {}
    for item in data.get("conditions") or []:
        fields = _fields(item, ("name", "summary", "tcm_view", "body", "ordering"))
        condition = Condition.objects.filter(slug=item["slug"]).first()
        created = condition is None
        if created:
            condition = Condition.objects.create(
                slug=item["slug"], is_published=bool(item.get("published", True)), **fields
            )
            report.add("conditions")
        elif refresh:
            Condition.objects.filter(pk=condition.pk).update(**fields)
        if created or refresh:
            slugs = [
                t["slug"]
                for t in catalogue["treatments"]
                if item["slug"] in t.get("conditions", [])
            ]
            condition.treatments.add(*[products[s] for s in slugs if s in products])
        _image(condition, "image", title=condition.name, subtitle="Condition", report=report)
        conditions[condition.slug] = condition

    for item in data.get("articles") or []:
        fields = _fields(item, ("title", "summary", "body", "author"))
        fields["published_date"] = date.fromisoformat(str(item["published_date"]))
        article = Article.objects.filter(slug=item["slug"]).first()
        created = article is None
        if created:
            article = Article.objects.create(
                slug=item["slug"], is_published=bool(item.get("published", True)), **fields
            )
            report.add("articles")
        elif refresh:
            Article.objects.filter(pk=article.pk).update(**fields)
        if created or refresh:
            article.conditions.add(
                *[conditions[s] for s in item.get("conditions", []) if s in conditions]
            )
            article.products.add(*[products[s] for s in item.get("products", []) if s in products])
        _image(article, "hero_image", title=article.title, subtitle="Article", report=report)
    return report
