"""Writes of the patient's account."""

from shop.customer.models import PatientProfile


def patient_profile_save(*, user, name: str, phone: str) -> PatientProfile:
    """Keep the patient's name and mobile number in their account (made or updated)."""
    profile, _ = PatientProfile.objects.update_or_create(
        user=user, defaults={"name": name, "phone": phone}
    )
    return profile
