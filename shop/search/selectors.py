"""Reads for the search page: what to suggest when a search finds nothing."""

from difflib import SequenceMatcher

from oscar.core.loading import get_model

from shop.content.selectors import conditions_listed

Product = get_model("catalogue", "Product")

# How alike a product's name must be to be suggested (difflib's ratio, 0 to 1).
SUGGESTION_CUTOFF = 0.7


def _likeness(query: str, name: str) -> float:
    """Return how close a query is to a name or to any of its words (0 to 1)."""
    words = [name, *name.split()]
    return max(SequenceMatcher(None, query, word.lower()).ratio() for word in words)


def search_suggestions(*, query: str, limit: int = 3) -> dict:
    """Return the closest product names (typos: "acupunture") and the published conditions.

    For a search that found nothing. A product is compared by its name, each word
    of it and its Chinese name; three queries whatever the size of the catalogue.
    """
    query = " ".join((query or "").lower().split())[:100]
    if not query:
        return {"products": [], "conditions": []}
    products = Product.objects.browsable().prefetch_related("attribute_values__attribute")
    scored = []
    for product in products.only("id", "title", "slug", "structure"):
        names = [product.title.lower()]
        names += [str(v.value) for v in product.attribute_values.all()
                  if v.attribute.code == "chinese_name" and v.value]  # fmt: skip
        score = max(_likeness(query, name) for name in names)
        if score >= SUGGESTION_CUTOFF:
            scored.append((-score, product.title, product))
    scored.sort(key=lambda row: row[:2])
    return {
        "products": [product for _, _, product in scored[:limit]],
        "conditions": list(conditions_listed()),
    }
