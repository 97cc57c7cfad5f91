"""Tick boxes found in the page image: small squares about a text line high, ticked when ink
fills their inside. Tesseract reads a box as marks glued to the next word (`[]Cash`,
`CJEnglish`), so a phrase that starts on a box loses those marks and carries the box instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from bots.form_processing import ink
from bots.form_processing.phrases import Phrase
from rpa.documents import Page, Word

Box = tuple[float, float, float, float]
SIZE = (0.5, 2.2)  # a box's side, in line heights
SQUARE = (0.7, 1.4)  # width / height
MARKS = re.compile(r"^[^0-9A-Za-z\u3400-\u9fff]+")  # what is left of a box at a word's start


@dataclass(frozen=True)
class TickBox:
    box: Box  # page units
    ticked: bool


def find_boxes(page: Page, height: float) -> list[TickBox]:
    """Every square about `height` (page units) high on the page image."""
    try:
        image, scale = page.image()
    except LookupError:
        return []
    pixels = np.asarray(image.convert("L"), dtype=np.uint8)
    _, dark = cv2.threshold(pixels, ink.DARK, 255, cv2.THRESH_BINARY_INV)
    strokes = _straight(dark, max(3, int(0.8 * height * scale)))
    contours, _ = cv2.findContours(strokes, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    lo, hi = SIZE[0] * height * scale, SIZE[1] * height * scale
    found = []
    for x, y, w, h in (cv2.boundingRect(c) for c in contours):
        if lo <= h <= hi and SQUARE[0] <= w / h <= SQUARE[1] and _hollow(strokes, x, y, w, h):
            box = (x / scale, y / scale, (x + w) / scale, (y + h) / scale)
            found.append(TickBox(box, ink.box_fill(page, box) > ink.TICK_SHARE))
    return _distinct(found)


def _straight(dark: np.ndarray, length: int) -> np.ndarray:
    """Straight strokes at least `length` long, across and down: what boxes are drawn with."""
    across = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    down = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    return across | down


def _hollow(strokes: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    """A box has a straight side in each half of its rectangle, across and down (E, L and T
    do not); a tick's stroke may stick out above it, so the sides are looked for, not assumed
    at the edges."""
    cell = strokes[y:y + h, x:x + w] > 0
    rows, cols = cell.mean(axis=1), cell.mean(axis=0)
    halves = (rows[: h // 2], rows[h // 2:], cols[: w // 2], cols[w // 2:])
    return all(len(half) and half.max() > 0.7 for half in halves)


def _distinct(boxes: list[TickBox]) -> list[TickBox]:
    """One box per square (a box's inner and outer outlines are both contours)."""
    kept: list[TickBox] = []
    for b in sorted(boxes, key=lambda b: -(b.box[2] - b.box[0])):
        if not any(_inside(b.box, k.box) for k in kept):
            kept.append(b)
    return kept


def _inside(a: Box, b: Box) -> bool:
    return a[0] >= b[0] - 2 and a[1] >= b[1] - 2 and a[2] <= b[2] + 2 and a[3] <= b[3] + 2


def box_before(phrase: Phrase, boxes: list[TickBox]) -> TickBox | None:
    """The tick box just left of the phrase or under the start of its first word."""
    x0, top, x1, bottom = phrase.words[0].box
    h = phrase.height
    for b in boxes:
        middle = (b.box[1] + b.box[3]) / 2
        if top - 0.5 * h <= middle <= bottom + 0.5 * h and x0 - 1.5 * h <= b.box[2] <= x1 + 0.5 * h:
            return b
    return None


def unboxed(phrase: Phrase, box: TickBox) -> Phrase:
    """The phrase without the marks Tesseract made of the box at its start."""
    first = phrase.words[0]
    covered = (box.box[2] - first.box[0]) / max(first.box[2] - first.box[0], 1.0)
    if covered <= 0:
        return phrase
    cut = min(len(first.text), int(len(first.text) * covered))
    rest = MARKS.sub("", first.text[cut:])
    words = ([Word(rest, (box.box[2], first.box[1], first.box[2], first.box[3]), first.conf,
                   first.source)] if rest else []) + phrase.words[1:]
    return Phrase(words, phrase.line, phrase.height, phrase.cell) if words else phrase
