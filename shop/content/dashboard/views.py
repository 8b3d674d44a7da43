"""The dashboard's "Health content" pages: list, create, edit, preview and publish.

Access is checked by the dashboard app's permissions map (see apps.py).
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic
from oscar.core.loading import get_class

from shop.content.dashboard.forms import ArticleForm, ConditionForm, ProductContentForm
from shop.content.models import Article, Condition
from shop.content.services import content_index_update, content_publish

OscarProductCreateUpdateView = get_class("dashboard.catalogue.views", "ProductCreateUpdateView")


class ProductCreateUpdateView(OscarProductCreateUpdateView):
    """Oscar's product page, whose form also edits the product's conditions and articles."""

    form_class = ProductContentForm


class _ContentMixin:
    kind: str  # "condition" or "article"

    def get_success_url(self) -> str:
        return reverse(f"content_dashboard:content-{self.kind}-list")

    def form_valid(self, form):
        self.object = form.save()
        # The index entry is made on save, before the links were set: make it again.
        content_index_update(instance=self.object)
        messages.success(self.request, f"Saved “{self.object}”.")
        return HttpResponseRedirect(self.get_success_url())


class ConditionListView(generic.ListView):
    model = Condition
    template_name = "content/dashboard/condition_list.html"
    context_object_name = "conditions"

    def get_queryset(self):
        return Condition.objects.prefetch_related("treatments")


class ConditionCreateView(_ContentMixin, generic.CreateView):
    kind = "condition"
    model = Condition
    form_class = ConditionForm
    template_name = "content/dashboard/content_form.html"
    extra_context = {"kind": "condition", "title": "New condition"}


class ConditionUpdateView(_ContentMixin, generic.UpdateView):
    kind = "condition"
    model = Condition
    form_class = ConditionForm
    template_name = "content/dashboard/content_form.html"
    extra_context = {"kind": "condition"}


class ArticleListView(generic.ListView):
    model = Article
    template_name = "content/dashboard/article_list.html"
    context_object_name = "articles"
    paginate_by = 50

    def get_queryset(self):
        return Article.objects.prefetch_related("conditions")


class ArticleCreateView(_ContentMixin, generic.CreateView):
    kind = "article"
    model = Article
    form_class = ArticleForm
    template_name = "content/dashboard/content_form.html"
    extra_context = {"kind": "article", "title": "New article"}


class ArticleUpdateView(_ContentMixin, generic.UpdateView):
    kind = "article"
    model = Article
    form_class = ArticleForm
    template_name = "content/dashboard/content_form.html"
    extra_context = {"kind": "article"}


class _PublishView(generic.View):
    """Publish or unpublish one condition or article (POST `published` = "1" or "0")."""

    model: type
    kind: str
    http_method_names = ["post"]

    def post(self, request, pk: int):
        obj = get_object_or_404(self.model, pk=pk)
        published = request.POST.get("published") == "1"
        content_publish(instance=obj, published=published)
        verb = "Published" if published else "Unpublished"
        messages.success(request, f"{verb} “{obj}”.")
        return HttpResponseRedirect(reverse(f"content_dashboard:content-{self.kind}-list"))


class ConditionPublishView(_PublishView):
    model = Condition
    kind = "condition"


class ArticlePublishView(_PublishView):
    model = Article
    kind = "article"
