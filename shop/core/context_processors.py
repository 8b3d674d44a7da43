from django.conf import settings


def clinic(request) -> dict:
    """Expose the clinic's contact details and GST mode to every template."""
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "address": settings.CLINIC_ADDRESS,
            "phone": settings.CLINIC_PHONE,
            "email": settings.CLINIC_EMAIL,
            "booking_url": settings.CLINIC_BOOKING_URL,
        },
        "gst_registered": settings.SHOP_GST_REGISTERED,
        "gst_rate": settings.SHOP_GST_RATE,
        "site_url": settings.SITE_URL,
    }
