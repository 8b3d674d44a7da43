"""Limits on the images staff upload (product images, content images).

An image is refused, with a form error, when its file is larger than
SHOP_IMAGE_UPLOAD_MAX_BYTES or a side is longer than SHOP_IMAGE_UPLOAD_MAX_SIDE
pixels. The size is read from the file's header before anything decodes it: a
13,000 × 13,000 PNG of half a megabyte would take 500 MB once decoded. Pillow's
own guard (MAX_IMAGE_PIXELS, set by the catalogue app from the same setting)
refuses to open anything far larger.
"""

import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image


def image_pixels_limit() -> int:
    """Return the most pixels an image may have: the largest allowed square."""
    return settings.SHOP_IMAGE_UPLOAD_MAX_SIDE**2


def image_upload_check(*, file) -> None:
    """Refuse an uploaded image that is too heavy or too large, before it is decoded."""
    max_bytes, side = settings.SHOP_IMAGE_UPLOAD_MAX_BYTES, settings.SHOP_IMAGE_UPLOAD_MAX_SIDE
    limit = f"at most {filesizeformat(max_bytes)} and {side:,} × {side:,} pixels"
    if file.size > max_bytes:
        raise ValidationError(
            f"This file is {filesizeformat(file.size)}: an image may be {limit}.",
            code="image_too_heavy",
        )
    try:
        with warnings.catch_warnings():
            # Pillow warns (rather than refuses) up to twice its limit: refuse there too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:  # reads the header, decodes nothing
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"This image has far too many pixels: an image may be {limit}.",
            code="image_too_large",
        ) from None
    except Exception:
        return  # not an image Pillow knows: the image field itself says so
    finally:
        file.seek(0)
    if width > side or height > side:
        raise ValidationError(
            f"This image is {width:,} × {height:,} pixels: an image may be {limit}.",
            code="image_too_large",
        )


class UploadImageField(forms.ImageField):
    """An image field that checks the upload's size and pixels before reading the image."""

    def to_python(self, data):
        if data not in self.empty_values:
            image_upload_check(file=data)
        return super().to_python(data)
