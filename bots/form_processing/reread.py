"""A second look at a typed value the page-wide OCR pass misread.

Tesseract reading a whole page with `eng+chi_tra` often turns the 年/月/日 of a Chinese date
into digits; the same crop read alone as one line (`--psm 7`) on the grayscale image, with
the language that type needs, usually comes out right. Only values that fail their check or
fall under the threshold are re-read, so the cost is a few small crops per doubtful page.
"""

from __future__ import annotations

from collections.abc import Iterator

from PIL import Image

from rpa.documents import Page, recognise

LANGS = {"date": ("chi_tra", "eng"), "hkid": ("eng",), "phone": ("eng",), "email": ("eng",),
         "amount": ("eng",)}
TARGET_DPI_PT = 300 / 72  # crop pixels per point Tesseract reads best at
PAD_PT = (6.0, 5.0, 60.0, 5.0)  # left, top, right, bottom: values often run past their box


def crop_value(page: Page, box: tuple[float, float, float, float], pt: float) -> Image.Image:
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


def rereads(field_type: str, page: Page, box: tuple[float, float, float, float],
            pt: float) -> Iterator[tuple[str, float]]:
    """(text, weakest word confidence) read again from the value's crop, once per language
    the type may be written in; lazily, so the caller stops at the first that checks out."""
    if page.source != "ocr" or field_type not in LANGS:
        return
    crop = crop_value(page, box, pt)
    for lang in LANGS[field_type]:
        words = recognise(crop, lang=lang, psm=7)
        if words:
            yield " ".join(w.text for w in words), min(w.conf for w in words)
