from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "shop.content"
    label = "content"
    verbose_name = "Conditions and articles"
