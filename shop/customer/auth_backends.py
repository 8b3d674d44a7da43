"""Sign-in by email that takes as long for an unknown email as for a known one."""

from django.contrib.auth import get_user_model
from oscar.apps.customer.auth_backends import EmailBackend
from oscar.apps.customer.utils import normalise_email


class TimingSafeEmailBackend(EmailBackend):
    """Oscar's EmailBackend, running the password hasher even when no account has the email.

    Oscar's returns at once for an unknown email, so the answer's time tells whether an
    account exists (and lets an attacker list the clinic's patients).
    """

    def authenticate(self, request, email=None, password=None, *args, **kwargs):
        user = super().authenticate(request, email, password, *args, **kwargs)
        address = email if email is not None else kwargs.get("username")
        if user is None and password is not None and address:
            User = get_user_model()
            if not User.objects.filter(email__iexact=normalise_email(address)).exists():
                User().set_password(password)  # the work a known email's check costs
        return user


def login_username(request, credentials: dict | None) -> str | None:
    """Return the email a sign-in attempt is for (django-axes' AXES_USERNAME_CALLABLE).

    Oscar's sign-in form prefixes its fields ("login-username"); the dashboard's does not.
    """
    if credentials and credentials.get("username"):
        return normalise_email(credentials["username"])
    data = request.POST if request is not None else {}
    name = data.get("login-username") or data.get("username")
    return normalise_email(name) if name else None
