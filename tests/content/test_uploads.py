"""Images staff upload are limited in size and pixels, refused with a form error."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image

from shop.catalogue.images import illustration_render
from shop.content.models import Condition
from tests.content.test_dashboard import product_form_data

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    """A valid 13,000 × 13,000 grey PNG of a few hundred kilobytes (169 MB once decoded)."""
    side = 13_000
    packer = zlib.compressobj(9)
    row = bytes(side + 1)  # filter byte and one black row
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data)
    return png + _chunk(b"IEND", b"")


def _upload(content: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


CONDITION = {"name": "Stiff neck", "slug": "stiff-neck", "summary": "A stiff neck.", "ordering": 1}


def test_pillow_refuses_to_open_beyond_the_limit():
    assert Image.MAX_IMAGE_PIXELS == 4000 * 4000


def test_a_huge_png_is_refused_with_a_clear_error(client, clinic_staff, huge_png):
    assert len(huge_png) < 1024 * 1024
    client.force_login(clinic_staff)

    response = client.post(
        "/dashboard/content/conditions/create/", {**CONDITION, "image": _upload(huge_png)}
    )

    assert response.status_code == 200
    errors = [e.replace("\xa0", " ") for e in response.context["form"].errors["image"]]
    assert errors == ["This image has far too many pixels: an image may be at most 5.0 MB and "
                      "4,000 × 4,000 pixels."]  # fmt: skip
    assert not Condition.objects.filter(slug="stiff-neck").exists()


def test_an_image_a_little_too_large_says_its_size(client, clinic_staff):
    client.force_login(clinic_staff)
    wide = Image.new("L", (4500, 10))
    buffer = io.BytesIO()
    wide.save(buffer, format="PNG")

    response = client.post(
        "/dashboard/content/conditions/create/", {**CONDITION, "image": _upload(buffer.getvalue())}
    )

    assert response.status_code == 200
    assert "This image is 4,500 × 10 pixels" in response.context["form"].errors["image"][0]


def test_a_heavy_file_is_refused_and_a_fitting_image_is_saved(client, clinic_staff, settings):
    client.force_login(clinic_staff)
    picture = illustration_render(seed="upload-test", motif="leaves")
    settings.SHOP_IMAGE_UPLOAD_MAX_BYTES = len(picture) - 1

    response = client.post(
        "/dashboard/content/articles/create/",
        {"title": "Neck care", "slug": "neck-care", "summary": "S.", "body": "B.",
         "published_date": "2025-05-01", "hero_image": _upload(picture)},
    )  # fmt: skip
    assert response.status_code == 200
    assert "This file is" in response.context["form"].errors["hero_image"][0]

    settings.SHOP_IMAGE_UPLOAD_MAX_BYTES = len(picture)
    response = client.post(
        "/dashboard/content/conditions/create/", {**CONDITION, "image": _upload(picture)}
    )
    assert response.status_code == 302
    with Image.open(Condition.objects.get(slug="stiff-neck").image) as saved:
        assert saved.size == (600, 600)


def test_the_product_dashboard_refuses_a_huge_image(client, clinic_staff, huge_png):
    client.force_login(clinic_staff)
    product = Product.objects.get(slug="moxa-sticks")
    url = f"/dashboard/catalogue/products/{product.pk}/"
    data = product_form_data(client.get(url))
    data.update(
        {
            "images-TOTAL_FORMS": 1,
            "images-INITIAL_FORMS": 0,
            "images-0-display_order": 1,
            "images-0-original": _upload(huge_png),
        }
    )
    before = ProductImage.objects.filter(product=product).count()

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["image_formset"].forms[0].errors["original"]
    assert "far too many pixels" in errors[0]
    assert "far too many pixels" in response.content.decode()
    assert ProductImage.objects.filter(product=product).count() == before
