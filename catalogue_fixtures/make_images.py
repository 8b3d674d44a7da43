"""Draw simple, deterministic placeholder images for the Liang Yi TCM catalogue.

Each image is a 600x600 PNG with a soft background colour derived from a seed, a few
decorative circles, a stylised leaf and the product title in Pillow's default font. No
downloaded fonts or network access are needed, and the same inputs always give the same
bytes.

Usage::

    python catalogue_fixtures/make_images.py [OUTPUT_DIR]

OUTPUT_DIR defaults to ``catalogue_fixtures/images`` next to this script.
"""

from __future__ import annotations

import argparse
import colorsys
import hashlib
import io
import math
import pathlib

import yaml
from PIL import Image, ImageDraw, ImageFont

SIZE = 600
MARGIN = 60
TEXT_TOP = 320
TEXT_BOTTOM = 525
BRAND = "Liang Yi TCM"
HERE = pathlib.Path(__file__).resolve().parent
CATALOGUE = HERE / "catalogue.yaml"

RGB = tuple[int, int, int]


def _seed_bytes(seed: str) -> bytes:
    """Return a stable 32-byte digest for ``seed``."""
    return hashlib.sha256(seed.encode("utf-8")).digest()


def _hsv(hue: float, saturation: float, value: float) -> RGB:
    """Convert an HSV triple (0..1 each) to an 8-bit RGB tuple."""
    red, green, blue = colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
    return round(red * 255), round(green * 255), round(blue * 255)


def _palette(digest: bytes) -> dict[str, RGB]:
    """Derive background, motif and text colours from a digest."""
    hue = digest[0] / 256
    return {
        "background": _hsv(hue, 0.16, 0.97),
        "circle": _hsv(hue + 0.04, 0.26, 0.92),
        "leaf": _hsv(hue + 0.08, 0.42, 0.70),
        "vein": _hsv(hue + 0.08, 0.30, 0.92),
        "text": _hsv(hue, 0.55, 0.25),
        "muted": _hsv(hue, 0.35, 0.45),
    }


def _draw_circles(draw: ImageDraw.ImageDraw, digest: bytes, colour: RGB) -> None:
    """Draw a few soft circles whose positions and sizes come from the digest."""
    for index in range(4):
        x_byte, y_byte, r_byte = digest[1 + index * 3 : 4 + index * 3]
        radius = 50 + r_byte % 90
        centre_x = x_byte / 255 * SIZE
        centre_y = y_byte / 255 * SIZE
        box = (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
        draw.ellipse(box, fill=colour)


def _draw_leaf(draw: ImageDraw.ImageDraw, digest: bytes, fill: RGB, vein: RGB) -> None:
    """Draw a stylised leaf with a central vein in the upper half of the image."""
    centre_x, centre_y = SIZE / 2, 175
    length, width = 190, 62
    angle = math.radians(-35 + digest[14] % 70)
    cos_a, sin_a = math.cos(angle), math.sin(angle)

    def rotate(along: float, across: float) -> tuple[float, float]:
        """Map leaf-local coordinates to image coordinates."""
        return (
            centre_x + along * cos_a - across * sin_a,
            centre_y + along * sin_a + across * cos_a,
        )

    def half_width(along: float) -> float:
        """Return the leaf's half-width at a point along its length."""
        t = min(max(along / length + 0.5, 0.0), 1.0)
        return width * math.sin(math.pi * t) ** 0.9

    steps = 40
    upper = []
    lower = []
    for step in range(steps + 1):
        along = (step / steps - 0.5) * length
        upper.append(rotate(along, -half_width(along)))
        lower.append(rotate(along, half_width(along)))
    draw.polygon(upper + lower[::-1], fill=fill)

    draw.line([rotate(-length / 2 - 28, 0), rotate(length / 2 - 10, 0)], fill=vein, width=4)
    for offset in (-0.25, 0.0, 0.2):
        along = offset * length
        tip = along + 24
        for side in (-1, 1):
            end = rotate(tip, side * 0.7 * half_width(tip))
            draw.line([rotate(along, 0), end], fill=vein, width=3)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont) -> list[str]:
    """Split ``text`` into lines that fit inside the image margins."""
    max_width = SIZE - 2 * MARGIN
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _draw_centred(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    top: float,
    line_height: float,
    colour: RGB,
) -> float:
    """Draw each line centred horizontally and return the y position after the block."""
    y = top
    for line in lines:
        draw.text((SIZE / 2, y), line, font=font, fill=colour, anchor="ma")
        y += line_height
    return y


def render_image(*, title: str, subtitle: str = "", seed: str) -> bytes:
    """Draw a 600x600 PNG placeholder for ``title`` and return its bytes."""
    digest = _seed_bytes(seed)
    colours = _palette(digest)
    image = Image.new("RGB", (SIZE, SIZE), colours["background"])
    draw = ImageDraw.Draw(image)

    _draw_circles(draw, digest, colours["circle"])
    _draw_leaf(draw, digest, colours["leaf"], colours["vein"])

    subtitle_font = ImageFont.load_default(size=24)
    subtitle_lines = _wrap(draw, subtitle, subtitle_font) if subtitle else []
    for title_size in range(44, 26, -2):
        title_font = ImageFont.load_default(size=title_size)
        title_lines = _wrap(draw, title, title_font)
        block_height = len(title_lines) * title_size * 1.2 + len(subtitle_lines) * 30 + 14
        if TEXT_TOP + block_height <= TEXT_BOTTOM:
            break
    y = _draw_centred(draw, title_lines, title_font, TEXT_TOP, title_size * 1.2, colours["text"])
    _draw_centred(draw, subtitle_lines, subtitle_font, y + 14, 30, colours["muted"])

    brand_font = ImageFont.load_default(size=20)
    draw.line([(SIZE / 2 - 60, 540), (SIZE / 2 + 60, 540)], fill=colours["muted"], width=2)
    draw.text((SIZE / 2, 552), BRAND, font=brand_font, fill=colours["muted"], anchor="ma")

    quantised = image.quantize(
        colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    quantised.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def make_image(path: pathlib.Path, *, title: str, subtitle: str = "", seed: str) -> None:
    """Draw a 600x600 PNG placeholder for ``title`` and save it to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_image(title=title, subtitle=subtitle, seed=seed))


def main(argv: list[str] | None = None) -> None:
    """Write one image per treatment and wellness product listed in the catalogue."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "output_dir",
        nargs="?",
        type=pathlib.Path,
        default=HERE / "images",
        help="directory to write <slug>.png files into (default: %(default)s)",
    )
    parser.add_argument(
        "--catalogue",
        type=pathlib.Path,
        default=CATALOGUE,
        help="catalogue YAML file to read (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    with args.catalogue.open(encoding="utf-8") as handle:
        catalogue = yaml.safe_load(handle)

    count = 0
    for treatment in catalogue.get("treatments", []):
        subtitle = f"TCM treatment | {treatment['session_minutes']} min session"
        make_image(
            args.output_dir / f"{treatment['slug']}.png",
            title=treatment["title"],
            subtitle=subtitle,
            seed=treatment["slug"],
        )
        count += 1
    for product in catalogue.get("products", []):
        title, _, pack = product["title"].partition(" (")
        subtitle = f"Wellness product | {pack.rstrip(')')}" if pack else "Wellness product"
        make_image(
            args.output_dir / f"{product['slug']}.png",
            title=title,
            subtitle=subtitle,
            seed=product["slug"],
        )
        count += 1
    print(f"Wrote {count} images to {args.output_dir}")


if __name__ == "__main__":
    main()
