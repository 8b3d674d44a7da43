"""Draw the shop's own illustrations for products and content: patterns, never words.

Each image is a square PNG in the clinic's palette (cream ground, greens and teal, a
touch of warm gold) with a motif that suits what it shows: fine needles and acupoints
for acupuncture, glass cups for cupping, flowing Qi for tuina, the Five Elements
cycle, warmth over the lower back, leaves for herbal goods, clouds for conditions and
ink mountains for articles. Drawn with Pillow at twice the size and scaled down (soft
edges); the same seed always gives the same bytes, and nothing is downloaded.
"""

import hashlib
import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

SIZE = 600
_SCALE = 2  # drawn at twice the size, then scaled down for smooth edges
_S = SIZE * _SCALE

RGB = tuple[int, int, int]
CREAM: RGB = (246, 241, 228)
PAPER: RGB = (238, 230, 210)
SAGE: RGB = (160, 190, 160)
JADE: RGB = (94, 156, 118)
PINE: RGB = (47, 93, 80)
TEAL: RGB = (42, 127, 122)
MIST: RGB = (180, 214, 205)
GOLD: RGB = (201, 162, 90)

PALETTES: tuple[tuple[RGB, ...], ...] = (
    (CREAM, MIST, TEAL, PINE, GOLD),
    (CREAM, SAGE, JADE, PINE, GOLD),
    (PAPER, MIST, JADE, TEAL, GOLD),
    (PAPER, SAGE, TEAL, PINE, GOLD),
)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _needles(draw: ImageDraw.ImageDraw, rng: random.Random, p: tuple[RGB, ...]) -> None:
    """Draw a meridian with its acupoints and a few fine needles."""
    _, light, mid, dark, gold = p
    phase = rng.random() * math.pi

    def at(t: float) -> tuple[float, float]:
        return (_S * (0.1 + 0.8 * t), _S * (0.6 + 0.16 * math.sin(t * math.pi * 1.4 + phase)))

    curve = [at(i / 60) for i in range(61)]
    draw.line(curve, fill=light, width=34, joint="curve")
    draw.line(curve, fill=mid, width=6, joint="curve")
    points = [at(i / 7) for i in range(1, 7)]
    for x, y in points:
        draw.ellipse((x - 24, y - 24, x + 24, y + 24), fill=gold)
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=dark)
    for x, y in rng.sample(points, 3):
        top = y - rng.randint(280, 400)
        draw.line([(x, y - 26), (x, top)], fill=dark, width=5)
        draw.rounded_rectangle((x - 13, top - 80, x + 13, top), radius=10, fill=gold)


def _cups(draw: ImageDraw.ImageDraw, rng: random.Random, p: tuple[RGB, ...]) -> None:
    """Draw rows of glass cups seen from above."""
    _, light, mid, dark, gold = p
    for row in range(3):
        for col in range(3):
            r = rng.randint(120, 160)
            x = _S * (0.2 + 0.3 * col) + rng.randint(-30, 30)
            y = _S * (0.2 + 0.3 * row) + rng.randint(-30, 30)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=light, outline=mid, width=10)
            draw.ellipse(
                (x - r * 0.6, y - r * 0.6, x + r * 0.6, y + r * 0.6), outline=dark, width=6
            )
            draw.arc(
                (x - r * 0.8, y - r * 0.8, x + r * 0.8, y + r * 0.8), 200, 250, fill=gold, width=12
            )


def _waves(draw: ImageDraw.ImageDraw, rng: random.Random, p: tuple[RGB, ...]) -> None:
    """Draw layered waves of flowing Qi, as pressed out by a tuina massage."""
    _, light, mid, dark, gold = p
    colours = (light, mid, dark, light, mid)
    for band in range(5):
        phase, amp = rng.random() * math.tau, 40 + band * 10
        base = _S * (0.3 + band * 0.13)
        top = [
            (x, base + amp * math.sin(x / _S * math.tau * 1.5 + phase))
            for x in range(0, _S + 20, 20)
        ]
        draw.polygon([*top, (_S, _S), (0, _S)], fill=colours[band])
    r = 90
    cx, cy = _S * (0.25 + rng.random() * 0.5), _S * 0.17
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=gold)


def _elements(draw: ImageDraw.ImageDraw, rng: random.Random, p: tuple[RGB, ...]) -> None:
    """Draw the Five Elements as five circles joined in their nourishing cycle."""
    _, light, mid, dark, gold = p
    turn = rng.random() * 0.3
    centres = [
        (_S / 2 + _S * 0.3 * math.cos(math.tau * (i / 5 + turn) - math.pi / 2),
         _S / 2 + _S * 0.3 * math.sin(math.tau * (i / 5 + turn) - math.pi / 2))
        for i in range(5)
    ]  # fmt: skip
    draw.ellipse((_S * 0.2, _S * 0.2, _S * 0.8, _S * 0.8), outline=light, width=24)
    for i in range(5):  # the controlling cycle: a star
        draw.line([centres[i], centres[(i + 2) % 5]], fill=mid, width=6)
    for i, (x, y) in enumerate(centres):
        r = 105
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(gold, mid, dark, light, gold)[i])
        draw.ellipse((x - r * 0.45, y - r * 0.45, x + r * 0.45, y + r * 0.45), fill=CREAM)


def _warmth(draw: ImageDraw.ImageDraw, rng: random.Random, p: tuple[RGB, ...]) -> None:
    """Draw rings of warmth rising over gentle hills (a warming lower-back treatment)."""
    _, light, mid, dark, gold = p
    cx, cy = _S / 2 + rng.randint(-80, 80), _S * 0.62
    for i, r in enumerate(range(520, 100, -70)):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_mix(CREAM, gold, 0.15 + i * 0.13))
    for i, colour in enumerate((mid, dark)):
        base = _S * (0.68 + i * 0.1)
        hill = [(x, base - 70 * math.sin(x / _S * math.pi + i)) for x in range(0, _S + 20, 20)]
        draw.polygon([*hill, (_S, _S), (0, _S)], fill=colour)


def _leaf(draw: ImageDraw.ImageDraw, x: float, y: float, size: float, angle: float, fill, vein):
    cos_a, sin_a = math.cos(angle), math.sin(angle)

    def at(along: float, across: float) -> tuple[float, float]:
        return (x + along * cos_a - across * sin_a, y + along * sin_a + across * cos_a)

    steps = [i / 20 - 0.5 for i in range(21)]
    upper = [at(t * size, -0.32 * size * math.sin(math.pi * (t + 0.5))) for t in steps]
    lower = [at(t * size, 0.32 * size * math.sin(math.pi * (t + 0.5))) for t in steps]
    draw.polygon(upper + lower[::-1], fill=fill)
    draw.line([at(-0.6 * size, 0), at(0.45 * size, 0)], fill=vein, width=max(3, int(size / 40)))


def _leaves(draw: ImageDraw.ImageDraw, rng: random.Random, p: tuple[RGB, ...]) -> None:
    """Draw a scatter of herb leaves around a sprig."""
    _, light, mid, dark, gold = p
    for _ in range(14):
        _leaf(draw, rng.uniform(0, _S), rng.uniform(0, _S), rng.uniform(120, 220),
              rng.uniform(0, math.tau), light, CREAM)  # fmt: skip
    shift, lean = rng.uniform(-0.12, 0.12), rng.choice((1, -1))  # where the sprig stands

    def at(x: float, y: float) -> tuple[float, float]:
        x = 0.5 + shift + lean * (x - 0.5)
        return (_S * x, _S * y)

    draw.line([at(0.3, 0.85), at(0.5, 0.55), at(0.68, 0.2)], fill=dark, width=12, joint="curve")
    for i, t in enumerate((0.25, 0.45, 0.65, 0.85)):
        x, y = at(0.3 + 0.38 * t, 0.85 - 0.65 * t)
        side = 1 if i % 2 else -1
        angle = lean * (-math.pi / 4 + side * 0.9) + (math.pi if lean < 0 else 0)
        _leaf(draw, x + side * lean * 90, y, 220, angle, (mid, dark)[i % 2], CREAM)
    sun_x, sun_y = at(0.68, 0.18)
    draw.ellipse((sun_x - 72, sun_y - 72, sun_x + 72, sun_y + 72), fill=gold)


def _clouds(draw: ImageDraw.ImageDraw, rng: random.Random, p: tuple[RGB, ...]) -> None:
    """Draw auspicious clouds: rows of curled arcs."""
    _, light, mid, dark, gold = p
    for row in range(4):
        y = _S * (0.16 + row * 0.23)
        x = -rng.randint(0, 200)
        while x < _S:
            r = rng.randint(80, 130)
            colour = (light, mid, dark, gold)[(row + int(x)) % 4 if row % 2 else row % 4]
            for k in range(3):
                rr = r - k * 30
                draw.arc((x - rr, y - rr, x + rr, y + rr), 180, 360, fill=colour, width=14)
            x += 2 * r + 20


def _mountains(draw: ImageDraw.ImageDraw, rng: random.Random, p: tuple[RGB, ...]) -> None:
    """Draw an ink landscape: layered mountains under a low sun."""
    _, light, mid, dark, gold = p
    r = 110
    cx = _S * (0.3 + rng.random() * 0.4)
    draw.ellipse((cx - r, _S * 0.22 - r, cx + r, _S * 0.22 + r), fill=gold)
    for i, colour in enumerate((light, mid, dark)):
        base = _S * (0.55 + i * 0.14)
        peaks = [(0, base)]
        x = 0
        while x < _S:
            x += rng.randint(160, 280)
            peaks.append((x, base - rng.randint(80, 260)))
        draw.polygon([*peaks, (_S, _S), (0, _S)], fill=colour)


MOTIFS: dict[str, Callable] = {
    "needles": _needles,
    "cups": _cups,
    "waves": _waves,
    "elements": _elements,
    "warmth": _warmth,
    "leaves": _leaves,
    "clouds": _clouds,
    "mountains": _mountains,
}


def illustration_render(*, seed: str, motif: str = "") -> bytes:
    """Draw the illustration of a seed (a slug) and return it as PNG bytes.

    `motif` is one of MOTIFS; unknown or empty, one is chosen from the seed.
    """
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    rng = random.Random(digest)
    if motif not in MOTIFS:
        motif = sorted(MOTIFS)[digest[0] % len(MOTIFS)]
    palette = PALETTES[digest[1] % len(PALETTES)]
    image = Image.new("RGB", (_S, _S), palette[0])
    MOTIFS[motif](ImageDraw.Draw(image), rng, palette)
    image = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(
        buffer, format="PNG", optimize=True
    )
    return buffer.getvalue()
