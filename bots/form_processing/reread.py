"""A second look at values the page-wide OCR pass misread or could not read.

Scanned pages are read once with `eng` only (half the cost of `eng+chi_tra`: OCR_NOTES.md);
a value written in Chinese comes back from that pass as junk, usually but not always with
low confidence (`日本` was read as `Ax` surely). So every name and free-text value on a scanned
page, and every typed value (date, HKID, ...) that fails its check, is read again alone: its
box plus a margin is cropped from the grayscale page and read as one line (`--psm 7`) in the
language its type needs. Tesseract reading a whole page also often turns the 年/月/日 of a
Chinese date into digits; the crop read alone with `chi_tra` usually comes out right.

All crops needing one language go to `recognise_many` together: the Tesseract API child
(the default engine) has the models loaded already; the CLI reads them in one run, as loading
a model costs it about as much as reading a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image

from rpa.documents import Page, Word
from rpa.documents.tesseract import recognise_many

Box = tuple[float, float, float, float]

# the languages a second look tries, in order, per field type
LANGS = {"date": ("chi_tra", "eng"), "hkid": ("eng",), "phone": ("eng",), "email": ("eng",),
         "amount": ("eng",), "text": ("chi_tra",), "name": ("chi_tra",)}
# types no check can vouch for: always read again (the English pass may be sure of junk),
# the second reading kept only when it reads as Chinese
UNCHECKED = {"text", "name"}
SURE = 0.9  # a first reading at least this sure is replaced only by a surer one
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")  # a "word" without any is a speck or mark
TARGET_DPI_PT = 300 / 72  # crop pixels per point Tesseract reads best at
PAD_PT = (6.0, 5.0, 60.0, 5.0)  # left, top, right, bottom: values often run past their box


@dataclass(frozen=True)
class Look:
    """One value to read again: its type, the page and its box in page units."""

    field_type: str
    page: Page
    box: Box
    pt: float  # page units per point


def wants_look(field_type: str, source: str, problem: str | None) -> bool:
    """Whether a first reading deserves a second look (OCR pages only; the text layer is
    exact). Names and free text always do, however sure the English pass was: it read `日本`
    as `Ax` with confidence. Checked values that passed are never re-read: an e-mail re-read
    as `applicant5l1@...` passes its check as well as the right one did."""
    if source != "ocr" or field_type not in LANGS:
        return False
    return problem is not None or field_type in UNCHECKED


def keeps(field_type: str, first: tuple[str, float], second: tuple[str, float],
          passes: bool) -> bool:
    """Whether the second reading (text, confidence) replaces the first: it must pass the
    type's check, and for a type with no real check it must read as Chinese and be surer than
    the first, unless the first was an unsure non-Chinese reading (junk an English pass made of
    Chinese). A sure English reading yields only to a surer one: `chi_tra` read a correct
    English address (0.92) as `人` (0.00), but `日本` (0.96) where `eng` was sure of `Ax` (0.91)."""
    if field_type not in UNCHECKED:
        return passes
    if not passes or not reads_chinese(second[0]):
        return False
    junk = first[1] < SURE and not reads_chinese(first[0])
    return junk or second[1] > first[1]


def reads_chinese(text: str) -> bool:
    """More CJK characters than Latin letters: 香港英皇道173號5座14樓D室, not CHOI Tsz Hin."""
    return len(CJK.findall(text)) > len(LATIN.findall(text))


def crop_value(page: Page, box: Box, pt: float) -> Image.Image:
    """The value's box with some margin, from the page image, scaled to about 300 dpi."""
    image, scale = page.image()
    left, top, right, bottom = PAD_PT
    x0, y0 = (box[0] - left * pt) * scale, (box[1] - top * pt) * scale
    x1, y1 = (box[2] + right * pt) * scale, (box[3] + bottom * pt) * scale
    crop = image.crop((int(max(0, x0)), int(max(0, y0)), int(min(image.width, x1)),
                       int(min(image.height, y1)))).convert("L")
    zoom = TARGET_DPI_PT / (pt * scale)
    if zoom > 1.2:
        crop = crop.resize((round(crop.width * zoom), round(crop.height * zoom)),
                           Image.Resampling.LANCZOS)
    return crop


def language(look: Look, attempt: int) -> str | None:
    """The language of the `attempt`-th (0-based) second look at a value, if it has one."""
    langs = LANGS.get(look.field_type, ())
    return langs[attempt] if attempt < len(langs) else None


def read_again(looks: list[Look], attempt: int) -> list[list[Word]]:
    """Each value's crop read in its `attempt`-th language (no words when it has none);
    one Tesseract run per language."""
    found: list[list[Word]] = [[] for _ in looks]
    langs = [language(look, attempt) for look in looks]
    for lang in sorted({lang for lang in langs if lang}):
        chosen = [i for i, other in enumerate(langs) if other == lang]
        crops = [crop_value(looks[i].page, looks[i].box, looks[i].pt) for i in chosen]
        for i, words in zip(chosen, recognise_many(crops, lang=lang, psm=7), strict=True):
            found[i] = [w for w in words if WORDLIKE.search(w.text)]
    return found
