from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def product_content(product) -> dict:
    """Return the conditions and articles a product page links to."""
    from shop.content.selectors import product_content as select

    return select(product=product)


@register.filter
def package_label(package, parent) -> str:
    """Return a package's name without its treatment's: "5 sessions"."""
    title = package.title or ""
    if parent is not None and title.startswith(parent.title):
        return title[len(parent.title) :].lstrip(" ,-") or title
    return title


@register.filter
def absolute_url(path: str) -> str:
    """Return the shop's full address of a path ("/media/x.png")."""
    if not path or "://" in path:
        return path or ""
    return settings.SITE_URL + path
