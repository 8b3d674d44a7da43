"""The product page, loading the product with what its template reads, or not at all.

Oscar's view loads the product alone; the page then asks for its images (three
times: the gallery, the og:image, the thumbnail), a parent's public children with
their stock records (the "from" price) and a child's parent. Here they come with
the product: a fixed number of queries per page.

A shopper without an account (a basket cookie, or none) is answered from the page's kept
record and body (shop/catalogue/kept.py) when both are current: no product is loaded,
the wrong-slug redirect and the 404 of a product that is not public come from the
record, and the view is counted in Redis (Oscar's `product_viewed` signal, with the
product by id: the analytics and the recently viewed cookie need no more). A signed-in
patient is answered the same way from a body kept for patients, in which their own parts
(stock alert, wish lists, reviews and votes) are rendered for each of them
(`{% patient_part %}`). Staff's page (their edit link, their preview of products that are
not public) is rendered as Oscar renders it.
"""

from urllib.parse import unquote

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from oscar.apps.catalogue import views as oscar_views
from oscar.core.loading import get_model

from shop.catalogue.kept import product_page_keep, product_page_read

Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")


class ProductDetailView(oscar_views.ProductDetailView):
    def get(self, request, *args, **kwargs):
        if request.user.is_staff:  # their edit link, their preview of products not public
            return super().get(request, *args, **kwargs)
        patient = request.user.is_authenticated
        product_id = int(kwargs["pk"])
        kept = product_page_read(request, product_id=product_id, patient=patient)
        record = kept.record
        if record is not None:
            if unquote(record["path"]) != unquote(request.path):
                return HttpResponsePermanentRedirect(record["path"])
            if not record["viewable"]:
                raise Http404()
            if record["parts"] is not None and kept.body is not None:
                return self._kept_response(request, record, kept.body, product_id)
        self.object = product = self.get_object()
        record = {
            "path": product.get_absolute_url(),
            "slug": product.slug,
            "viewable": self.is_viewable(product, request),
            "templates": self.get_template_names(),
            "parts": None,
        }
        if not record["viewable"] or self.redirect_if_necessary(request.path, product):
            product_page_keep(kept, record=record)
        response = super().get(request, *args, **kwargs)
        if isinstance(response, TemplateResponse):

            def keep(rendered) -> None:
                parts = dict(response.context_data["product_parts_new"])
                body = parts.pop("body", None)
                if body is not None:
                    product_page_keep(kept, record={**record, "parts": parts}, body=body)

            response.add_post_render_callback(keep)
        return response

    def _kept_response(self, request, record: dict, body: str, product_id: int):
        # By id (and slug): what the receivers of a view (the analytics, the recently viewed
        # cookie) and a patient's own parts (alert, wish lists, reviews) need of the product.
        self.object = product = Product(pk=product_id, slug=record["slug"])
        context = {"view": self, "product_parts": {**record["parts"], "body": body}}
        if request.user.is_authenticated:
            context.update(
                product=product,
                patient_share=True,
                # Called only when the page shows the alert (the product is unavailable).
                alert_form=self.get_alert_form,
                has_active_alert=self.get_alert_status,
            )
        response = TemplateResponse(request, record["templates"], context)
        self.send_signal(request, response, product)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.user.is_staff:
            context["product_parts_new"] = {}  # filled by {% kept_part %} as the page renders
            context["patient_share"] = self.request.user.is_authenticated
        return context

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
