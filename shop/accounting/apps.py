from django.apps import AppConfig


class AccountingConfig(AppConfig):
    name = "shop.accounting"
    label = "accounting"
    verbose_name = "Accounting"
