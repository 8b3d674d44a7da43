"""The shop's drawn illustrations: its own palette, one motif per kind, stable bytes."""

import io

import pytest
from PIL import Image

from shop.catalogue.images import CREAM, MOTIFS, PALETTES, SIZE, illustration_render


def _distance(a, b) -> int:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("motif", sorted(MOTIFS))
def test_each_motif_is_a_square_picture_in_the_clinics_palette(motif):
    png = illustration_render(seed=f"test-{motif}", motif=motif)
    image = Image.open(io.BytesIO(png)).convert("RGB")

    assert image.size == (SIZE, SIZE)
    palette = {colour for colours in PALETTES for colour in colours}
    small = image.resize((60, 60))
    pixels = [small.getpixel((x, y)) for x in range(60) for y in range(60)]
    near = sum(1 for p in pixels if min(_distance(p, c) for c in palette) < 90)
    assert near / len(pixels) > 0.9  # cream, greens, teal and gold; no stray colours
    assert illustration_render(seed=f"test-{motif}", motif=motif) == png  # the same each time


def test_items_get_pictures_of_their_own():
    pictures = {illustration_render(seed=slug, motif="leaves") for slug in ("tea-a", "tea-b")}
    assert len(pictures) == 2
    background = Image.open(io.BytesIO(illustration_render(seed="x", motif="cups")))
    assert _distance(background.convert("RGB").getpixel((2, 2)), CREAM) < 40
