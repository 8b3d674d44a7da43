"""The dashboard's "Health content" pages: list, create, edit, preview and publish.

Conditions and articles are created and published here; the clinic's pages
(about, contact, privacy, terms, refunds) are edited.

One set of views serves every kind of content (see KINDS); a URL picks the kind
(`as_view(kind="condition")`). Access is checked by the dashboard app's
permissions map (see apps.py).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic
from oscar.core.loading import get_class

from shop.content.dashboard import forms
from shop.content.models import Article, Condition, Page
from shop.content.services import content_index_update, content_publish

OscarProductCreateUpdateView = get_class("dashboard.catalogue.views", "ProductCreateUpdateView")


class ProductCreateUpdateView(OscarProductCreateUpdateView):
    """Oscar's product page; its form also edits the product's conditions and articles."""

    form_class = forms.ProductContentForm
    image_formset = forms.ProductImageFormSet


@dataclass(frozen=True)
class Kind:
    """One kind of content the dashboard edits."""

    model: type
    form_class: type
    title: str  # plural, for the list page and the menu
    new_title: str
    prefetch: tuple[str, ...] = ()
    paginate_by: int | None = None
    actions: tuple[str, ...] = ("list", "create", "update", "publish")


KINDS: dict[str, Kind] = {
    "condition": Kind(
        Condition, forms.ConditionForm, "Conditions", "New condition", ("treatments",)
    ),
    "article": Kind(
        Article, forms.ArticleForm, "Articles", "New article", ("conditions",), paginate_by=50
    ),
    # The clinic's pages (about, contact...) have fixed addresses: edited, never added.
    "page": Kind(Page, forms.PageForm, "Clinic pages", "", actions=("list", "update")),
}


class _KindMixin:
    kind: str = ""  # a key of KINDS, given by the URL

    @property
    def spec(self) -> Kind:
        return KINDS[self.kind]

    def get_queryset(self):
        return self.spec.model.objects.prefetch_related(*self.spec.prefetch)

    def get_form_class(self):
        return self.spec.form_class

    def list_url(self) -> str:
        return reverse(f"content-dashboard:content-{self.kind}-list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(kind=self.kind, kind_title=self.spec.title, list_url=self.list_url())
        return context


class ContentListView(_KindMixin, generic.ListView):
    context_object_name = "objects"

    def get_template_names(self) -> list[str]:
        return [f"oscar/dashboard/content/{self.kind}_list.html"]

    def get_paginate_by(self, queryset):
        return self.spec.paginate_by


class _ContentFormMixin(_KindMixin):
    template_name = "oscar/dashboard/content/content_form.html"

    def get_success_url(self) -> str:
        return self.list_url()

    def form_valid(self, form):
        self.object = form.save()
        # The index entry is made on save, before the links were set: make it again.
        content_index_update(instance=self.object)
        messages.success(self.request, f"Saved “{self.object}”.")
        return HttpResponseRedirect(self.get_success_url())


class ContentCreateView(_ContentFormMixin, generic.CreateView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.spec.new_title}


class ContentUpdateView(_ContentFormMixin, generic.UpdateView):
    pass


class ContentPublishView(_KindMixin, generic.View):
    """Publish or unpublish one condition or article (POST `published` = "1" or "0")."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        obj = get_object_or_404(self.spec.model, pk=pk)
        published = request.POST.get("published") == "1"
        content_publish(instance=obj, published=published)
        verb = "Published" if published else "Unpublished"
        messages.success(request, f"{verb} “{obj}”.")
        return HttpResponseRedirect(self.list_url())
