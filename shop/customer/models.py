from django.conf import settings
from django.db import models
from oscar.apps.customer.models import *  # noqa: F403  (Oscar's models, unchanged)


class PatientProfile(models.Model):
    """The patient's name and Singapore mobile number, asked once at a treatment checkout.

    The clinic calls this number to book sessions; the front desk finds credits by it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_profile"
    )
    name = models.CharField(max_length=255)
    # E.164 (+65 and eight digits), as the Sessions page searches it.
    phone = models.CharField(max_length=32, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"
