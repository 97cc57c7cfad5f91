"""A TrueType CJK font for reportlab, made from the system's Noto Sans CJK (CFF outlines).

reportlab embeds only TrueType outlines, and its CID fonts are neither embedded nor mapped back
to Unicode by pdfminer, so we subset Noto Sans CJK HK to the characters the forms use and
convert its cubic outlines to quadratic ones (fontTools). The result is cached in the temp dir.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
HK_INDEX = 4  # Noto Sans CJK HK inside the collection


def cjk_ttf(text: str, source: Path = NOTO) -> Path:
    """A TTF holding the glyphs of `text` (plus ASCII), built once and cached."""
    chars = "".join(sorted(set(text) | set(map(chr, range(32, 127)))))
    digest = hashlib.sha1(chars.encode()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"smartlab-noto-hk-{digest}.ttf"
    if not target.exists():
        _build(source, chars, target)
    return target


def _build(source: Path, chars: str, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font = TTCollection(str(source)).fonts[HK_INDEX]
    options = subset.Options()
    options.layout_features, options.hinting, options.desubroutinize = [], False, True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    _cff_to_glyf(font)
    tmp = target.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(target)


def _cff_to_glyf(font) -> None:  # noqa: ANN001 - a fontTools TTFont
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_set, order = font.getGlyphSet(), font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"
