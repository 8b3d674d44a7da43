from django.conf import settings

from shop.core.selectors import clinic_details


def clinic(request) -> dict:
    """Expose the clinic's contact details and GST mode to every template."""
    return {
        "clinic": clinic_details(),
        "gst_registered": settings.SHOP_GST_REGISTERED,
        "gst_rate": settings.SHOP_GST_RATE,
        "site_url": settings.SITE_URL,
    }
