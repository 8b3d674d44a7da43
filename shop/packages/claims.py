"""A guest's earlier credits join the account once its owner confirms the email address.

The patient asks on My treatments; a signed link goes to the account's email
address; following it (signed in as that account, with the same address)
attaches the guest credits bought with that address. Nothing attaches before.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from shop.packages import purchases, selectors

logger = logging.getLogger(__name__)

SALT = "shop.packages.claim"
# A link older than this is refused; the patient asks for a new one.
CLAIM_MAX_AGE = 3 * 24 * 60 * 60


class ClaimInvalid(Exception):
    """The link is not valid for this account (expired, altered, or another address)."""


def claim_token_make(*, user) -> str:
    """Return a signed token naming the account and the email address it was sent to."""
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT)


def claim_link(*, user) -> str:
    """Return the absolute confirmation link for the account's email address."""
    path = reverse("packages:claim-confirm", kwargs={"token": claim_token_make(user=user)})
    return f"{settings.SITE_URL}{path}"


def claim_request(*, user) -> bool:
    """Send the account's owner the confirmation link (through the outbox: the worker sends it).

    Returns False when no guest credit with the account's email waits to be claimed.
    """
    if not user.email or not selectors.guest_credits_count(email=user.email):
        return False
    return claim_email_send(user_id=user.pk)


def claim_email_send(*, user_id: int) -> bool:
    """Send the confirmation link to the account's email address."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    context = {"link": claim_link(user=user), "clinic_name": settings.CLINIC_NAME}
    send_mail(
        subject=f"{settings.CLINIC_NAME}: confirm your email to see your treatments",
        message=render_to_string("packages/emails/claim.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True


def claim_confirm(*, user, token: str) -> int:
    """Attach the guest credits of the confirmed address to `user`; return how many.

    Raises ClaimInvalid unless the token was made for this account and its
    current email address, and is not older than CLAIM_MAX_AGE.
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=CLAIM_MAX_AGE)
    except signing.BadSignature as error:
        raise ClaimInvalid("This link is not valid any more. Ask for a new one.") from error
    if data.get("u") != user.pk or data.get("e") != (user.email or "").lower():
        raise ClaimInvalid("This link was sent for another account or email address.")
    return purchases.credits_attach_to_user(user=user, email=user.email)
