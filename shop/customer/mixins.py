"""Oscar's account mixins, with the shop's changes.

- Registering signs the new patient in through the request: Oscar's `register_user` calls
  `authenticate()` without it, which django-axes' backend refuses (a 500 on every sign-up,
  at /accounts/register/ and on the sign-in page's register form alike).
"""

import logging

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as auth_login
from oscar.apps.customer import mixins
from oscar.apps.customer.signals import user_registered

PageTitleMixin = mixins.PageTitleMixin
AnonymousOrderMixin = mixins.AnonymousOrderMixin

logger = logging.getLogger(__name__)


class RegisterUserMixin(mixins.RegisterUserMixin):
    """Create the account, send the welcome email, and sign the patient in."""

    def register_user(self, form):
        """Create the account and sign it in, authenticating with the request (for axes)."""
        user = form.save()
        user_registered.send_robust(sender=self, request=self.request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            self.send_registration_email(user)
        try:
            authenticated = authenticate(
                self.request, username=user.email, password=form.cleaned_data["password1"]
            )
        except get_user_model().MultipleObjectsReturned:
            # The form was posted twice at once: keep the first account, as Oscar does.
            logger.warning("Several accounts registered with one email; keeping the first")
            users = get_user_model().objects.filter(email=user.email).order_by("pk")
            authenticated = users[0]
            authenticated.backend = "shop.customer.auth_backends.TimingSafeEmailBackend"
            for duplicate in users[1:]:
                duplicate.is_active = False
                duplicate.save(update_fields=["is_active"])
        if authenticated is not None:
            auth_login(self.request, authenticated)
        return authenticated or user
