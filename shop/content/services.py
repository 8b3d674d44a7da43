"""Writes to the clinic's content: linking, publishing, indexing and loading the fixtures."""

import logging
from datetime import date
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from oscar.core.loading import get_model

from shop.catalogue.services import LoadReport, catalogue_read, drawn_image
from shop.content.models import Article, Condition, Page

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")

CONTENT_FILE = Path(settings.BASE_DIR) / "catalogue_fixtures" / "content.yaml"


def product_content_set(*, product, conditions, articles) -> None:
    """Set the conditions a product may help with and the articles it is linked to."""
    before = set(product.conditions.all())
    product.conditions.set(conditions)
    product.articles.set(articles)
    for instance in {*before, *conditions, *articles}:
        content_index_update(instance=instance)
    _index_update(product)  # its entry names its conditions


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
    _index_update(instance)
    if isinstance(instance, Condition):  # its treatments' entries name it
        for product in instance.treatments.all():
            _index_update(product)


def _index_update(instance) -> None:
    from haystack import connections

    try:
        index = connections["default"].get_unified_index().get_index(type(instance))
        index.update_object(instance)
    except Exception:
        logger.exception("Could not update the search index for %r", instance)


# --- Loading the clinic's content from catalogue_fixtures/ ------------------


def content_read(*, path: Path = CONTENT_FILE) -> dict:
    """Return the clinic's conditions, articles and pages from their YAML file."""
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _fields(item: dict, names: tuple[str, ...]) -> dict:
    return {name: item[name].strip() if isinstance(item[name], str) else item[name]
            for name in names if name in item}  # fmt: skip


def _upsert(model, item: dict, fields: dict, *, kind: str, refresh: bool, report, **on_create):
    """Create the row of a fixture item if missing (or refresh its texts); tell if it is new."""
    obj = model.objects.filter(slug=item["slug"]).first()
    if obj is None:
        obj = model.objects.create(slug=item["slug"], **on_create, **fields)
        report.add(kind)
        return obj, True
    if refresh:
        model.objects.filter(pk=obj.pk).update(**fields)
    return obj, False


def _image(instance, field_name: str, *, motif: str, report: LoadReport) -> None:
    image = getattr(instance, field_name)
    if image:  # staff may have replaced it: keep theirs
        return
    drawn = drawn_image(slug=f"content-{instance.slug}", motif=motif)
    image.save(f"{instance.slug}.png", drawn, save=True)
    report.add("images")


CONDITION_FIELDS = ("name", "chinese_name", "summary", "tcm_view", "body", "search_terms")


def _published(item: dict) -> bool:
    return bool(item.get("published", True))


@transaction.atomic
def content_load(
    *, data: dict | None = None, catalogue: dict | None = None, refresh: bool = False
) -> LoadReport:
    """Load the clinic's conditions, articles and pages, creating only what is missing.

    A condition made by this load is linked to the treatments that list it in
    the catalogue data, and an article to its conditions and products; what
    staff change later (texts, links, publishing) is kept when it runs again;
    only a condition's Chinese name and search terms, when empty, are filled in.
    With `refresh=True` texts are set from the data again and the links added.
    """
    data = data if data is not None else content_read()
    catalogue = catalogue if catalogue is not None else catalogue_read()
    report = LoadReport()
    opts = {"refresh": refresh, "report": report}
    products = {p.slug: p for p in Product.objects.browsable()}

    conditions = {}
    for item in data.get("conditions") or []:
        fields = _fields(item, (*CONDITION_FIELDS, "ordering"))
        condition, created = _upsert(
            Condition, item, fields, kind="conditions", **opts, is_published=_published(item)
        )
        _fill_empty(condition, fields, ("chinese_name", "search_terms"))
        if created or refresh:
            slugs = [
                t["slug"]
                for t in catalogue["treatments"]
                if item["slug"] in t.get("conditions", [])
            ]
            condition.treatments.add(*[products[s] for s in slugs if s in products])
        _image(condition, "image", motif=item.get("image_motif", "clouds"), report=report)
        conditions[condition.slug] = condition

    for item in data.get("articles") or []:
        fields = _fields(item, ("title", "summary", "body", "author"))
        fields["published_date"] = date.fromisoformat(str(item["published_date"]))
        article, created = _upsert(
            Article, item, fields, kind="articles", **opts, is_published=_published(item)
        )
        if created or refresh:
            article.conditions.add(
                *[conditions[s] for s in item.get("conditions", []) if s in conditions]
            )
            article.products.add(*[products[s] for s in item.get("products", []) if s in products])
        _image(article, "hero_image", motif=item.get("image_motif", "mountains"), report=report)

    for item in data.get("pages") or []:
        fields = _fields(item, ("title", "meta_description", "body"))
        _upsert(Page, item, fields, kind="pages", **opts)
    return report


def _fill_empty(instance, fields: dict, names: tuple[str, ...]) -> None:
    """Fill in fields the data has and the row lacks (fields added since the row was made)."""
    empty = {n: fields[n] for n in names if n in fields and not getattr(instance, n)}
    if empty:
        type(instance).objects.filter(pk=instance.pk).update(**empty)
        for name, value in empty.items():
            setattr(instance, name, value)
