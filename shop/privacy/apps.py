from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """The patient's data (PDPA): a download of everything held, and account deletion."""

    name = "shop.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from shop.privacy import sections  # noqa: F401  (registers the shop's own sections)
