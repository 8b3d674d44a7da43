"""Reads of the clinic's content, shaped so that a page runs a fixed number of queries."""

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from oscar.core.loading import get_model

from shop.catalogue.selectors import products_listable
from shop.content.models import Article, Condition, Page
from shop.core.selectors import clinic_details

Product = get_model("catalogue", "Product")


def content_previewable_by(user) -> bool:
    """Tell whether a user may see unpublished conditions and articles (clinic staff)."""
    return bool(
        user.is_authenticated
        and (user.has_perm("content.view_condition") or user.has_perm("content.view_article"))
    )


def products_for_content(queryset: QuerySet) -> list:
    """Return product cards with their buyable packages, for condition and article pages.

    Each treatment (a parent product) gets `content_packages`: its public
    variants, cheapest first, with stock records and the parent prefetched, so
    a page shows any number of treatments with the same number of queries.
    """
    packages = Product.objects.filter(is_public=True).prefetch_related("stockrecords")
    products = list(
        products_listable(queryset)
        .prefetch_related(Prefetch("children", queryset=packages, to_attr="content_packages"))
        .order_by("title")
    )
    for product in products:
        product.content_packages.sort(key=_package_price)
    return products


def _package_price(product):
    records = [r.price for r in product.stockrecords.all() if r.price is not None]
    return (min(records) if records else 0, product.pk)


def conditions_listed() -> QuerySet:
    """Return the published conditions, in the clinic's order."""
    return Condition.objects.published()


def conditions_for_home(*, limit: int = 8) -> list:
    """Return the conditions the home page offers under "What brings you here?"."""
    return list(Condition.objects.published()[:limit])


def _visible(model, *, slug: str, user):
    """Return the published condition or article of a slug (any, for clinic staff), else 404."""
    queryset = model.objects.all()
    if not content_previewable_by(user):
        queryset = queryset.published()
    obj = queryset.filter(slug=slug).first()
    if obj is None:
        raise Http404(f"No such {model._meta.verbose_name}")
    return obj


def condition_detail(*, slug: str, user) -> dict:
    """Return a condition page's content: the condition, its treatments and articles.

    Unpublished conditions exist only for clinic staff (a preview); others get a 404.
    """
    condition = _visible(Condition, slug=slug, user=user)
    return {
        "condition": condition,
        "treatments": products_for_content(condition.treatments.all()),
        "articles": list(condition.articles.published().only(*_ARTICLE_CARD)),
    }


_ARTICLE_CARD = ("id", "title", "slug", "summary", "published_date", "hero_image", "author")


def articles_listed() -> QuerySet:
    """Return the published articles, newest first, with their conditions."""
    return Article.objects.published().prefetch_related(
        Prefetch("conditions", queryset=Condition.objects.published())
    )


def article_detail(*, slug: str, user) -> dict:
    """Return an article page's content: the article, its treatments and conditions.

    Unpublished (or not yet due) articles exist only for clinic staff; others get a 404.
    """
    article = _visible(Article, slug=slug, user=user)
    return {
        "article": article,
        "treatments": products_for_content(article.products.all()),
        "conditions": list(article.conditions.published()),
    }


def product_content(*, product) -> dict:
    """Return what a product page links to: the conditions it may help with and articles.

    A variant shows its parent's links. Articles are those linked to the product
    or to one of its conditions.
    """
    if product.is_child and product.parent_id:
        product = product.parent
    conditions = list(Condition.objects.published().filter(treatments=product))
    articles = list(
        Article.objects.published()
        .filter(Q(products=product) | Q(conditions__in=[c.pk for c in conditions]))
        .distinct()
        .only(*_ARTICLE_CARD)[:6]
    )
    return {"conditions": conditions, "articles": articles}


def content_search(*, query: str, limit: int = 12) -> dict:
    """Return the published conditions and articles matching a search, best first."""
    from haystack.inputs import AutoQuery
    from haystack.query import SearchQuerySet

    query = (query or "").strip()
    if not query:
        return {"conditions": [], "articles": []}
    results = (
        SearchQuerySet().models(Condition, Article).filter(content=AutoQuery(query)).load_all()
    )
    found = {"conditions": [], "articles": []}
    for result in results[:limit]:
        obj = result.object
        if obj is None:  # not published (see the indexes' read_queryset)
            continue
        found["conditions" if isinstance(obj, Condition) else "articles"].append(obj)
    return found


def _location_values() -> dict[str, str]:
    """Return the address, phone and hours of the clinic's main location, where one is kept.

    The bookings app keeps the locations (looked up by name: the pages do not depend on it).
    """
    if not apps.is_installed("shop.bookings"):
        return {}
    location = apps.get_model("bookings", "Location").objects.order_by("pk").first()
    if location is None:
        return {}
    values = {
        "address": location.address,
        "phone": location.phone,
        "hours": location.opening_hours,
    }
    return {key: value for key, value in values.items() if value}


def _page_values() -> dict[str, str]:
    clinic = clinic_details() | _location_values()
    digits = "".join(ch for ch in clinic["phone"] if ch.isdigit())
    return {
        "clinic_name": clinic["name"],
        "clinic_address": clinic["address"],
        "clinic_phone": clinic["phone"],
        "clinic_hours": clinic.get("hours", ""),
        "clinic_email": clinic["email"],
        "clinic_whatsapp_url": f"https://wa.me/{digits}",
    }


def page_text(*, text: str) -> str:
    """Return a page's Markdown with the clinic's details in place of {clinic_...} words.

    A plain replacement of known words, not a template: staff text cannot reach anything else.
    """
    for name, value in _page_values().items():
        text = text.replace("{" + name + "}", value)
    return text


def page_detail(*, slug: str) -> dict:
    """Return one of the clinic's pages (about, contact, ...) with its text filled in, else 404."""
    page = Page.objects.filter(slug=slug).first()
    if page is None:
        raise Http404("No such page")
    return {"page": page, "page_body": page_text(text=page.body)}
