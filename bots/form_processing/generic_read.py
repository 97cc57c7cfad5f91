"""A Chinese second look for generic mode: runs of words the English page pass could not read.

Scanned pages are read once with `eng` (half the cost of `eng+chi_tra`, OCR_NOTES.md); Chinese
comes back from that pass as junk, usually unsure or full of symbols (`電話號碼` -> `S323%88`).
Each run of such words inside a phrase is cropped from the cleaned image (ruled lines already
gone) and read as one line in `chi_tra`, all crops of a page in one `recognise_many`; the run
is replaced when the crop reads as Chinese.

A page with no Chinese at all still has a score of such runs (unsure English, digits, rules), and
reading them costs a third of the page's CPU for nothing. So a few crops spread over the page
are read first (`PROBES`); when none of them reads as Chinese words, the page is taken as
English and the rest are not read (docs/forms.md, Benchmark > Generic mode). On a Chinese or
bilingual page the probes' readings are used like the others.
"""

from __future__ import annotations

import re

from PIL import Image

from bots.form_processing.layout import join_words, union
from bots.form_processing.phrases import phrases
from bots.form_processing.reread import CJK, reads_chinese
from rpa.documents import Page, ReaderFailed, Word
from rpa.documents.tesseract import recognise_many

UNSURE = 0.8  # an English word read less surely than this may be Chinese
NOT_ENGLISH = re.compile(r"[^A-Za-z0-9.,:;/()\-@&'#+$%!?\"“”‘’ ]")
PAD = 0.35  # of the run's height, around each crop
WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
SLIVER = 25  # a run this many times wider than high is a rule, not words
MIN_PIXELS = 8  # a run smaller than this each way is a speck
# a Chinese reading less sure than this on average is no better than the junk (one doubtful
# character in a sure reading is common: 開支申領表 came back with 領 at 0.07)
MIN_CONF = 0.45
PROBES = 8  # crops read first to tell whether a page has Chinese at all
# a probe reads as Chinese words with two different CJK characters; a lone one or a row of 一
# is what chi_tra makes of a rule or a speck on an English page
CHINESE_WORDS = 2


def unsure(word: Word) -> bool:
    return word.conf < UNSURE or bool(NOT_ENGLISH.search(word.text))


def second_look(pages: list[Page]) -> None:
    """Replace, in place, each unsure run of words with its `chi_tra` reading."""
    for page in pages:
        if page.source == "ocr" and page.cleaned is not None:
            _page_look(page)


def _page_look(page: Page) -> None:
    runs = [run for ph in phrases(page) for run in _unsure_runs(ph.words)
            if _big_enough(union([w.box for w in run]), page.cleaned[1])]
    if not runs:
        return
    crops = [_crop(page, union([w.box for w in run])) for run in runs]
    readings = _readings(crops)
    replaced: dict[int, Word | None] = {}
    for run, words in zip(runs, readings, strict=True):
        text = join_words(words).replace(" ", "") if words else ""
        conf = sum(w.conf for w in words) / len(words) if words else 0.0
        if text and reads_chinese(text) and conf >= MIN_CONF:
            box = union([w.box for w in run])
            replaced[id(run[0])] = Word(text, box, conf, "ocr")
            replaced.update({id(w): None for w in run[1:]})
    page.words = [replaced.get(id(w), w) for w in page.words if replaced.get(id(w), w)]


def _readings(crops: list[Image.Image]) -> list[list[Word]]:
    """Each crop's `chi_tra` words; none for any crop when the probes find no Chinese."""
    probes = _probe_indexes(len(crops))
    found: list[list[Word]] = [[] for _ in crops]
    for i, words in zip(probes, _read([crops[i] for i in probes]), strict=True):
        found[i] = words
    if not any(_chinese_words(found[i]) for i in probes):
        return found
    rest = [i for i in range(len(crops)) if i not in set(probes)]
    for i, words in zip(rest, _read([crops[i] for i in rest]), strict=True):
        found[i] = words
    return found


def _probe_indexes(count: int) -> list[int]:
    """PROBES indexes spread evenly from the first crop (a page's title) to the last."""
    if count <= PROBES:
        return list(range(count))
    return sorted({round(k * (count - 1) / (PROBES - 1)) for k in range(PROBES)})


def _chinese_words(words: list[Word]) -> bool:
    text = "".join(w.text for w in words)
    return len(set(CJK.findall(text)) - {"一"}) >= CHINESE_WORDS


def _read(crops: list[Image.Image]) -> list[list[Word]]:
    """All crops in one Tesseract run; should Tesseract crash on one (it dies of a floating
    point exception on some noisy crops), halves are read apart and that crop reads as
    nothing."""
    if not crops:
        return []
    try:
        return recognise_many(crops, lang="chi_tra", psm=7)
    except ReaderFailed:
        if len(crops) == 1:
            return [[]]
        half = len(crops) // 2
        return _read(crops[:half]) + _read(crops[half:])


def _unsure_runs(words: list[Word]) -> list[list[Word]]:
    runs: list[list[Word]] = []
    for prev, w in zip([None, *words], words, strict=False):
        if not unsure(w):
            continue
        if runs and prev is runs[-1][-1]:
            runs[-1].append(w)
        else:
            runs.append([w])
    return [run for run in runs if _worth_reading(run)]


def _worth_reading(run: list[Word]) -> bool:
    """Not marks alone (`~~`, `—`: what is left of a dotted or broken rule) and not a
    sliver far wider than high (a rule again): reading those costs and gives 一二."""
    box = union([w.box for w in run])
    marks_only = not any(WORDLIKE.search(w.text) for w in run)
    return not marks_only and box[2] - box[0] < SLIVER * (box[3] - box[1])


def _big_enough(box: tuple[float, float, float, float], scale: float) -> bool:
    """Tesseract fails on a crop a few pixels across, and a speck is not a word anyway."""
    return min(box[2] - box[0], box[3] - box[1]) * scale >= MIN_PIXELS


def _crop(page: Page, box: tuple[float, float, float, float]) -> Image.Image:
    image, scale = page.cleaned  # type: ignore[misc]
    pad = PAD * (box[3] - box[1])
    x0, y0 = max(0, (box[0] - pad) * scale), max(0, (box[1] - pad) * scale)
    x1, y1 = min(image.width, (box[2] + pad) * scale), min(image.height, (box[3] + pad) * scale)
    return image.crop((int(x0), int(y0), int(x1), int(y1)))
