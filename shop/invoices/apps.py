from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "shop.invoices"
    label = "invoices"
    verbose_name = "Tax invoices and credit notes"

    def ready(self) -> None:
        from shop.invoices import checks, receivers  # noqa: F401  (system checks, receivers)
