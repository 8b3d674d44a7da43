"""Reads shared by the whole shop."""

from django.conf import settings


def clinic_details() -> dict:
    """Return the clinic's contact details, for pages (context processor) and emails."""
    return {
        "name": settings.CLINIC_NAME,
        "address": settings.CLINIC_ADDRESS,
        "phone": settings.CLINIC_PHONE,
        "email": settings.CLINIC_EMAIL,
        "booking_url": settings.CLINIC_BOOKING_URL,
    }
