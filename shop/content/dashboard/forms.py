from django import forms
from django.forms import inlineformset_factory
from oscar.core.loading import get_classes, get_model
from oscar.forms.widgets import ImageInput

from shop.catalogue.uploads import UploadImageField
from shop.content.claims import ModestWordingMixin
from shop.content.models import Article, Condition, Page

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductForm, OscarProductImageForm = get_classes(
    "dashboard.catalogue.forms", ["ProductForm", "ProductImageForm"]
)


def _linkable_products():
    # Conditions and articles link to what a patient browses: standalone products
    # and parent treatments (their packages follow the parent).
    return Product.objects.browsable().order_by("title")


def _ticks(queryset, label: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=queryset, required=False, widget=forms.CheckboxSelectMultiple, label=label
    )


class _ContentForm(ModestWordingMixin, forms.ModelForm):
    """A condition's or article's form: its product links list what patients browse."""

    products_field = ""  # the name of the field that links products

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.products_field].queryset = _linkable_products()


class ConditionForm(_ContentForm):
    products_field = "treatments"
    claims_fields = ("name", "chinese_name", "summary", "tcm_view", "body")
    image = UploadImageField(required=False, widget=forms.ClearableFileInput)
    treatments = _ticks(Product.objects.none(), "Treatments for this condition")

    class Meta:
        model = Condition
        fields = ["name", "chinese_name", "slug", "summary", "tcm_view", "body", "search_terms",
                  "image", "treatments", "ordering", "is_published"]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class ArticleForm(_ContentForm):
    products_field = "products"
    claims_fields = ("title", "summary", "body")
    hero_image = UploadImageField(required=False, widget=forms.ClearableFileInput)
    conditions = _ticks(Condition.objects.all(), "Related conditions")
    products = _ticks(Product.objects.none(), "Related treatments and products")

    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "author", "published_date", "hero_image", "body",
                  "conditions", "products", "is_published"]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "published_date": forms.DateInput(attrs={"type": "date"}),
        }


class PageForm(ModestWordingMixin, forms.ModelForm):
    """The text of one of the clinic's pages; its address (slug) stays."""

    claims_fields = ("title", "meta_description", "body")

    class Meta:
        model = Page
        fields = ["title", "meta_description", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24})}


class ProductContentForm(ModestWordingMixin, ProductForm):
    """Oscar's product form, with the product's conditions and articles and modest wording.

    Variants (child products) take their content from their parent, so they
    get no such fields.
    """

    claims_fields = ("title", "description", "meta_title", "meta_description", "attr_chinese_name")

    conditions = _ticks(Condition.objects.all(), "May help with (conditions)")
    articles = _ticks(Article.objects.all(), "Read more (articles)")

    def __init__(self, product_class, *args, parent=None, **kwargs):
        super().__init__(product_class, *args, parent=parent, **kwargs)
        if parent is not None or self.instance.is_child:
            del self.fields["conditions"]
            del self.fields["articles"]
        elif self.instance.pk:
            self.initial.setdefault("conditions", list(self.instance.conditions.all()))
            self.initial.setdefault("articles", list(self.instance.articles.all()))

    def save(self, *args, **kwargs):
        from shop.content.services import product_content_set

        product = super().save(*args, **kwargs)
        if "conditions" in self.fields:
            product_content_set(
                product=product,
                conditions=self.cleaned_data["conditions"],
                articles=self.cleaned_data["articles"],
            )
        return product


class ProductImageForm(OscarProductImageForm):
    """Oscar's product image form, whose upload is checked for size and pixels."""

    original = UploadImageField(label="Original", widget=ImageInput())


class ProductImageFormSet(
    inlineformset_factory(Product, ProductImage, form=ProductImageForm, extra=2)
):
    """Oscar's product images formset, with the checked image form."""

    def __init__(self, product_class, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
