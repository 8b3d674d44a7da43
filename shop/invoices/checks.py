"""System checks of the tax documents."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility, deploy=True)
def check_gst_registration_number(app_configs, **kwargs) -> list[Error]:
    """Refuse to deploy a GST-registered shop whose invoices would lack the GST number."""
    if not settings.SHOP_GST_REGISTERED or settings.SHOP_GST_REG_NO:
        return []
    return [
        Error(
            "GST_REGISTRATION_NUMBER is not set: tax invoices must show the clinic's "
            "GST registration number.",
            hint="Set GST_REGISTRATION_NUMBER (e.g. M90312345A) or GST_REGISTERED=false "
            "(see .env.example).",
            id="shop.E101",
        )
    ]
