"""The tax documents' Chinese font: Noto Sans CJK SC cut down to the common characters.

A PDF embeds a subset of each font it uses, made by HarfBuzz while WeasyPrint writes it.
Noto Sans CJK holds 65,000 glyphs, and WeasyPrint keeps the glyph numbers (it subsets
twice: the glyphs used, then every glyph up to the highest one used): a document with one
Chinese product name spent a quarter of its time there, and 80 of its 93 kB. Cut down once,
to the 7,445 characters of GB 2312 (the simplified characters of everyday names and
words), the same font costs a fraction of that.

`make fonts` (part of `make run` and `make test`; the Dockerfile runs it too) builds the
cut from Debian's fonts-noto-cjk into `INVOICE_FONT_DIR`:

    python -m shop.invoices.fonts var/fonts

The stylesheet names the full Noto Sans CJK SC after it, so a character outside GB 2312
(a traditional one in a name, say) still prints, glyph by glyph from the full font; and
when the cut is missing, every Chinese character does (`pdf.py` names the faces it finds).
This module imports fontTools only (WeasyPrint's own dependency), not Django.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FAMILY = "Clinic CJK"
SOURCE_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"))
SOURCE_FAMILY = "Noto Sans CJK SC"
# (file name of the cut, Debian's collection, weight in CSS)
WEIGHTS = (
    ("ClinicCJK-Regular.otf", "NotoSansCJK-Regular.ttc", "normal"),
    ("ClinicCJK-Bold.otf", "NotoSansCJK-Bold.ttc", "bold"),
)


def gb2312_characters() -> str:
    """Return the 7,445 characters of GB 2312 (its hanzi, punctuation and symbols), and
    ASCII's: Pango may set a space or a digit between two Chinese characters in this font."""
    characters = [chr(code) for code in range(0x20, 0x7F)]
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                characters.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(characters)


def _source(name: str) -> tuple[Path, int] | None:
    """Return Debian's collection `name` and the number of its SC face, or None."""
    for folder in SOURCE_DIRS:
        path = folder / name
        if not path.is_file():
            continue
        for number, font in enumerate(TTCollection(str(path), lazy=True).fonts):
            if font["name"].getDebugName(1) == SOURCE_FAMILY:
                return path, number
    return None


def _rename(font: TTFont, *, style: str) -> None:
    """Name the cut as a font of its own (the OFL asks a modified font not to pass as the
    original), keeping the copyright and the licence's records."""
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 2, 3, 4, 6, 16, 17):
            names.removeNames(nameID=record.nameID)
    for name_id, value in (
        (1, FAMILY),
        (2, style),
        (3, f"{postscript}; cut from {SOURCE_FAMILY}"),
        (4, f"{FAMILY} {style}"),
        (6, postscript),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    font["CFF "].cff.fontNames = [postscript]


def cjk_fonts_build(out_dir: Path) -> list[Path]:
    """Build the cuts that are missing into `out_dir`; return the cuts that exist there."""
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for filename, collection, weight in WEIGHTS:
        target = out_dir / filename
        if not target.is_file():
            source = _source(collection)
            if source is None:
                print(f"fonts: {collection} not found (apt-get install fonts-noto-cjk)")
                continue
            options = subset.Options()
            options.font_number = source[1]
            # Horizontal text only: no layout features, no vertical metrics, no hints.
            options.layout_features = []
            options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
            options.notdef_outline = True
            options.hinting = True  # removing hints rewrites every glyph: slower, same PDF
            options.desubroutinize = False  # HarfBuzz does it for the glyphs a PDF uses
            # The source's bounding boxes stand: recomputing them draws every glyph.
            font = TTFont(str(source[0]), fontNumber=source[1], lazy=True, recalcBBoxes=False)
            subsetter = subset.Subsetter(options)
            subsetter.populate(text=gb2312_characters())
            subsetter.subset(font)
            _rename(font, style="Bold" if weight == "bold" else "Regular")
            partial = target.with_suffix(".partial")
            font.save(str(partial))
            partial.replace(target)  # a build cut short leaves no half font behind
            print(f"fonts: {target.name} built ({target.stat().st_size // 1024} kB)")
        built.append(target)
    return built


def cjk_faces(font_dir: Path) -> list[dict]:
    """Return the @font-face values of the cuts found in `font_dir` (none: the full font)."""
    return [
        {"family": FAMILY, "url": (font_dir / filename).as_uri(), "weight": weight}
        for filename, _, weight in WEIGHTS
        if (font_dir / filename).is_file()
    ]


if __name__ == "__main__":
    cjk_fonts_build(Path(sys.argv[1] if len(sys.argv) > 1 else "var/fonts"))
