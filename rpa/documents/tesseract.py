"""Tesseract: one page image in, words with boxes and confidences out.

Two engines, chosen by `SMARTLAB_OCR_ENGINE`: `api` (default) sends images to a long-lived
child process holding Tesseract's models loaded (`tess_api`); `cli` runs the `tesseract`
command through pytesseract for each page or list of crops, loading the models every time.
Both are Debian's Tesseract and print the same TSV, parsed here the same way. When the API
child dies or refuses an image, that image is read by the CLI: a crash loses nothing.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import pytesseract
from PIL import Image

from rpa import settings
from rpa.documents.boundary import ReaderFailed, tesseract_errors
from rpa.documents.model import Word
from rpa.documents.tess_api import API, ApiFailed

# Tesseract's OpenMP threads make each page ~4x slower on 2 cores (OCR_NOTES.md)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LOG = logging.getLogger(__name__)
DEFAULT_LANG = "eng+chi_tra"
DEFAULT_PSM = 3
# tessedit_do_invert=0: do not try every unsure line again as white-on-black text (forms have
# none); about 5% of a page's CPU. textord_tabfind_find_tables=0: no table detection (the
# ruled cells come from the clean-up's line openings): 4-7% less CPU a scanned page, and on the
# generic benchmark F1 0.639 -> 0.665 side by side (docs/forms.md, Benchmark > Generic mode)
VARIABLES = {"preserve_interword_spaces": "0", "tessedit_do_invert": "0",
             "textord_tabfind_find_tables": "0"}
CONFIG = " ".join(f"-c {name}={value}" for name, value in VARIABLES.items())
ENGINES = ("api", "cli")
TSV_HEADER = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\t"
              "height\tconf\ttext\n")


def engine() -> str:
    """`SMARTLAB_OCR_ENGINE`, checked: `api` or `cli`."""
    name = settings.text("SMARTLAB_OCR_ENGINE").strip().lower()
    if name not in ENGINES:
        raise ReaderFailed(f"SMARTLAB_OCR_ENGINE={name!r} is not one of {', '.join(ENGINES)}")
    return name


def recognise(image: Image.Image, lang: str = DEFAULT_LANG, psm: int = DEFAULT_PSM,
              timeout: float = 120, via: str | None = None) -> list[Word]:
    """Words Tesseract finds in `image`, boxes in that image's pixels, confidence 0..1.
    `via` names the engine (default: the setting)."""
    if (via or engine()) == "api":
        try:
            return _words(_api_data(image, lang, psm, timeout))
        except ApiFailed as exc:
            LOG.warning("Tesseract API: %s; reading this image with the CLI", exc)
    config = f"--psm {psm} {CONFIG}"
    with tesseract_errors():
        data = pytesseract.image_to_data(image, lang=lang, config=config, timeout=timeout,
                                         output_type=pytesseract.Output.DICT)
    return list(_words(data))


def _api_data(image: Image.Image, lang: str, psm: int, timeout: float) -> dict[str, list]:
    """The API child's TSV parsed as pytesseract parses the CLI's (conf made a whole number)."""
    tsv = API.read_tsv(image, lang, psm, VARIABLES, timeout)
    return pytesseract.pytesseract.file_to_dict(TSV_HEADER + tsv, "\t", -1)


def recognise_many(images: list[Image.Image], lang: str = DEFAULT_LANG, psm: int = 7,
                   timeout: float = 120) -> list[list[Word]]:
    """Words in each of several small images (value crops), read by one Tesseract run.

    With the CLI, loading a language model costs about as much as reading a line (0.07 s
    for `eng`, 0.10 s for `chi_tra`), so crops go together as the pages of an image list
    file; the API child has its models loaded and reads them one by one.
    """
    if not images:
        return []
    if engine() == "api":
        return [recognise(image, lang, psm, timeout, "api") for image in images]
    config = f"--psm {psm} {CONFIG}"
    with tempfile.TemporaryDirectory(prefix="smartlab-ocr-") as tmp:
        listing = _write_list(images, Path(tmp))
        with tesseract_errors():
            data = pytesseract.image_to_data(str(listing), lang=lang, config=config,
                                             timeout=timeout, output_type=pytesseract.Output.DICT)
    return [_words(_page_rows(data, n)) for n in range(1, len(images) + 1)]


def _write_list(images: list[Image.Image], folder: Path) -> Path:
    names = []
    for n, image in enumerate(images, 1):
        names.append(str(folder / f"crop-{n}.png"))
        image.save(names[-1])
    listing = folder / "crops.txt"
    listing.write_text("\n".join(names) + "\n", encoding="utf-8")
    return listing


def _page_rows(data: dict[str, list], page: int) -> dict[str, list]:
    """The rows of one page (one image of the list) of Tesseract's TSV output."""
    rows = [i for i, n in enumerate(data["page_num"]) if int(n) == page]
    return {key: [values[i] for i in rows] for key, values in data.items()}


def _words(data: dict[str, list]) -> list[Word]:
    lines = _line_boxes(data)
    found = []
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if conf < 0 or not str(text).strip():
            continue
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        box = _repair((x, y, x + w, y + h), lines.get(_line_key(data, i)))
        found.append(Word(str(text).strip(), box, conf / 100, "ocr"))
    return found


def _line_key(data: dict[str, list], i: int) -> tuple[int, int, int]:
    return (data["block_num"][i], data["par_num"][i], data["line_num"][i])


def _line_boxes(data: dict[str, list]) -> dict[tuple[int, int, int], tuple[int, int]]:
    """Top and bottom of each text line Tesseract found (level 4 rows)."""
    return {_line_key(data, i): (int(data["top"][i]), int(data["top"][i]) + int(data["height"][i]))
            for i, level in enumerate(data["level"]) if int(level) == 4}


def _repair(box: tuple[int, int, int, int], line: tuple[int, int] | None) -> tuple:
    """A CJK character sometimes comes back with a box a few pixels high; give it its line's
    height (and as much width) so layout reasoning sees it where it is."""
    if line is None or box[3] - box[1] >= 0.4 * (line[1] - line[0]):
        return box
    height = line[1] - line[0]
    return (box[0], line[0], max(box[2], box[0] + int(0.8 * height)), line[1])


def languages() -> list[str]:
    with tesseract_errors():
        return sorted(pytesseract.get_languages(config=""))
