"""The clinic's content: the conditions patients come with, and articles about them.

Bodies are Markdown written by staff; pages render them through the `markdown`
filter, which sanitises the HTML (see shop.core.text).
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone


class ConditionQuerySet(models.QuerySet):
    def published(self) -> "ConditionQuerySet":
        return self.filter(is_published=True)


class Condition(models.Model):
    """A complaint a patient arrives with (knee pain, sciatica), with its treatments."""

    name = models.CharField(max_length=128)
    chinese_name = models.CharField(max_length=64, blank=True, help_text="e.g. 坐骨神经痛.")
    slug = models.SlugField(max_length=128, unique=True)
    summary = models.TextField(
        max_length=400, help_text="One or two sentences: used on cards and as meta description."
    )
    tcm_view = models.TextField(
        "The TCM view",
        blank=True,
        help_text="How TCM understands it, e.g. Qi and blood stasis, organ deficiency, "
        "external damp, cold or heat. Markdown.",
    )
    body = models.TextField(blank=True, help_text="Markdown.")
    search_terms = models.CharField(
        max_length=255,
        blank=True,
        help_text="Other words patients search for, in English or Chinese (e.g. 腰痛, backache). "
        "Found by the search, not shown.",
    )
    image = models.ImageField(upload_to="content/conditions/", blank=True, max_length=255)
    treatments = models.ManyToManyField(
        "catalogue.Product",
        related_name="conditions",
        blank=True,
        verbose_name="treatments for this condition",
    )
    is_published = models.BooleanField("published", default=False, db_index=True)
    ordering = models.PositiveIntegerField(default=0, help_text="Lower comes first.")
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True, db_index=True)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ("ordering", "name")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:condition-detail", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        return self.filter(is_published=True, published_date__lte=timezone.localdate())


class Article(models.Model):
    """An article of the clinic, linked to the conditions and products it is about."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(
        max_length=400, help_text="One or two sentences: used on cards and as meta description."
    )
    body = models.TextField(help_text="Markdown.")
    author = models.CharField(max_length=128, blank=True)
    published_date = models.DateField(default=timezone.localdate, db_index=True)
    hero_image = models.ImageField(upload_to="content/articles/", blank=True, max_length=255)
    conditions = models.ManyToManyField(Condition, related_name="articles", blank=True)
    products = models.ManyToManyField(
        "catalogue.Product", related_name="articles", blank=True, verbose_name="related products"
    )
    is_published = models.BooleanField("published", default=False, db_index=True)
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True, db_index=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ("-published_date", "-id")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:article-detail", kwargs={"slug": self.slug})


# The clinic's pages of trust, each at an address of its own (/about/, /contact/...).
PAGE_SLUGS = ("about", "contact", "privacy", "terms", "refunds")

# Words staff may write in a page's text, replaced by the clinic's details when it is shown.
PAGE_PLACEHOLDERS_HELP = (
    "Markdown. {clinic_name}, {clinic_address}, {clinic_phone}, {clinic_email} and "
    "{clinic_whatsapp_url} are replaced by the clinic's details."
)


class Page(models.Model):
    """A page of the clinic: about, contact, privacy, terms of sale, refunds."""

    slug = models.SlugField(max_length=32, unique=True, choices=[(s, s) for s in PAGE_SLUGS])
    title = models.CharField(max_length=120)
    meta_description = models.CharField(
        max_length=160, help_text="One sentence for search engines and link previews."
    )
    body = models.TextField(help_text=PAGE_PLACEHOLDERS_HELP)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"slug": self.slug})
