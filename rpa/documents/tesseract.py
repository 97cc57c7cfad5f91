"""Tesseract through pytesseract: one page image in, words with boxes and confidences out."""

from __future__ import annotations

import os

import pytesseract
from PIL import Image

from rpa.documents.boundary import tesseract_errors
from rpa.documents.model import Word

# Tesseract's OpenMP threads make each page ~4x slower on 2 cores (OCR_NOTES.md)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

DEFAULT_LANG = "eng+chi_tra"
DEFAULT_PSM = 3


def recognise(image: Image.Image, lang: str = DEFAULT_LANG, psm: int = DEFAULT_PSM,
              timeout: float = 120) -> list[Word]:
    """Words Tesseract finds in `image`, boxes in that image's pixels, confidence 0..1."""
    config = f"--psm {psm} -c preserve_interword_spaces=0"
    with tesseract_errors():
        data = pytesseract.image_to_data(image, lang=lang, config=config, timeout=timeout,
                                         output_type=pytesseract.Output.DICT)
    return list(_words(data))


def _words(data: dict[str, list]) -> list[Word]:
    found = []
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if conf < 0 or not str(text).strip():
            continue
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        found.append(Word(str(text).strip(), (x, y, x + w, y + h), conf / 100, "ocr"))
    return found


def languages() -> list[str]:
    with tesseract_errors():
        return sorted(pytesseract.get_languages(config=""))
