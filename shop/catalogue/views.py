"""The product page, loading the product with what its template reads.

Oscar's view loads the product alone; the page then asks for its images (three
times: the gallery, the og:image, the thumbnail), a parent's public children with
their stock records (the "from" price) and a child's parent. Here they come with
the product: a fixed number of queries per page.
"""

from django.db.models import Exists, OuterRef, Prefetch
from oscar.apps.catalogue import views as oscar_views
from oscar.core.loading import get_model

Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")


class ProductDetailView(oscar_views.ProductDetailView):
    def get_queryset(self):
        public_children = (
            Product.objects.filter(is_public=True)
            .select_related("product_class")
            .prefetch_related("stockrecords")
        )
        return (
            Product.objects.select_related("product_class", "parent__product_class")
            .annotate(  # as Oscar's base_queryset: the add-to-basket form asks for options
                has_product_class_options=Exists(
                    Option.objects.filter(productclass=OuterRef("product_class"))
                ),
                has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            )
            .prefetch_related(
                "images",
                "stockrecords",
                "parent__images",
                Prefetch(
                    "children", queryset=public_children, to_attr="_prefetched_public_children"
                ),
            )
        )
