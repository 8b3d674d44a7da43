"""Public pages of the clinic's conditions, articles and pages. Logic lives in selectors.py."""

from django.views.generic import ListView, TemplateView

from shop.content import selectors


class ConditionListView(ListView):
    template_name = "content/condition_list.html"
    context_object_name = "conditions"

    def get_queryset(self):
        return selectors.conditions_listed()


class ConditionDetailView(TemplateView):
    template_name = "content/condition_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.condition_detail(slug=kwargs["slug"], user=self.request.user))
        return context


class ArticleListView(ListView):
    template_name = "content/article_list.html"
    context_object_name = "articles"
    paginate_by = 10

    def get_queryset(self):
        return selectors.articles_listed()


class ArticleDetailView(TemplateView):
    template_name = "content/article_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.article_detail(slug=kwargs["slug"], user=self.request.user))
        return context


class PageView(TemplateView):
    """One of the clinic's pages: about, contact, privacy, terms of sale, refunds."""

    template_name = "pages/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.page_detail(slug=kwargs["slug"]))
        return context
