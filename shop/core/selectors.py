"""Reads shared by the whole shop."""

from zoneinfo import ZoneInfo

from django.conf import settings

# The clinic's time zone: dates on emails and exports are Singapore dates.
CLINIC_TZ = ZoneInfo(settings.TIME_ZONE)


def clinic_details() -> dict:
    """Return the clinic's contact details, for pages (context processor) and emails."""
    return {
        "name": settings.CLINIC_NAME,
        "address": settings.CLINIC_ADDRESS,
        "phone": settings.CLINIC_PHONE,
        "email": settings.CLINIC_EMAIL,
        "booking_url": settings.CLINIC_BOOKING_URL,
        "hours": settings.CLINIC_HOURS,
        # Printed where the clinic's details are (emails' footer) when GST-registered.
        "gst_reg_no": settings.SHOP_GST_REG_NO if settings.SHOP_GST_REGISTERED else "",
    }
