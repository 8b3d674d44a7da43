"""System checks that name a missing setting and how to fix it."""

from decimal import Decimal

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility)
def check_gst(app_configs, **kwargs) -> list[Error]:
    """Refuse a GST rate that is not a percentage between 0 and 100."""
    rate = settings.SHOP_GST_RATE
    if not isinstance(rate, Decimal) or not (0 <= rate < 100):
        return [
            Error(
                f"GST_RATE must be a percentage between 0 and 100, not {rate!r}.",
                hint="Set GST_RATE=9 (Singapore's rate) or GST_REGISTERED=false.",
                id="shop.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_stripe_keys(app_configs, **kwargs) -> list[Error]:
    """Refuse to deploy without the Stripe keys the checkout needs."""
    if settings.STRIPE_API_BASE:
        return []
    missing = [
        name
        for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")
        if not getattr(settings, name)
    ]
    return [
        Error(
            f"{name} is not set.",
            hint=f"Set {name} in the environment (see .env.example and the README).",
            id="shop.E002",
        )
        for name in missing
    ]


@register(Tags.security, deploy=True)
def check_email_url(app_configs, **kwargs) -> list[Error]:
    """Refuse to deploy with emails written to files: patients would never get them."""
    if settings.DEBUG or settings.EMAIL_URL:
        return []
    return [
        Error(
            "EMAIL_URL is not set: confirmations would be written to files, not sent.",
            hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587 "
            "(see .env.example).",
            id="shop.E003",
        )
    ]
