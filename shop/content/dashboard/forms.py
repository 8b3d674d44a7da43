from django import forms
from oscar.core.loading import get_class, get_model

from shop.content.models import Article, Condition

Product = get_model("catalogue", "Product")
ProductForm = get_class("dashboard.catalogue.forms", "ProductForm")


def _linkable_products():
    # Conditions and articles link to what a patient browses: standalone products
    # and parent treatments (their packages follow the parent).
    return Product.objects.browsable().order_by("title")


class ConditionForm(forms.ModelForm):
    treatments = forms.ModelMultipleChoiceField(
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Treatments for this condition",
    )

    class Meta:
        model = Condition
        fields = [
            "name",
            "slug",
            "summary",
            "tcm_view",
            "body",
            "image",
            "treatments",
            "ordering",
            "is_published",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treatments"].queryset = _linkable_products()


class ArticleForm(forms.ModelForm):
    conditions = forms.ModelMultipleChoiceField(
        queryset=Condition.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Related conditions",
    )
    products = forms.ModelMultipleChoiceField(
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Related treatments and products",
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "author",
            "published_date",
            "hero_image",
            "body",
            "conditions",
            "products",
            "is_published",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "published_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = _linkable_products()


class ProductContentForm(ProductForm):
    """Oscar's product form, with the product's conditions and articles.

    Variants (child products) take their content from their parent, so they
    get no such fields.
    """

    conditions = forms.ModelMultipleChoiceField(
        queryset=Condition.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="May help with (conditions)",
    )
    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Read more (articles)",
    )

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
