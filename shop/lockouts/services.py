"""Unlock a locked-out sign-in, through django-axes' own reset."""

from axes.utils import reset

from shop.lockouts.selectors import lockouts_current


def lockout_unlock(*, attempt_id: int) -> str | None:
    """Clear the failures of one locked account and address pair; return its username.

    None when the pair is no longer locked (unlocked already, or the cool-off is over).
    """
    attempt = lockouts_current().filter(pk=attempt_id).first()
    if attempt is None:
        return None
    reset(ip=attempt.ip_address, username=attempt.username)
    return attempt.username
