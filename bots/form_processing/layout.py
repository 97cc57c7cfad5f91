"""Layout reasoning on one page: lines of words, label matching, value regions.

Units are the page's own (PDF points or image pixels); `Geometry.pt` converts a length in
points to page units, so one set of distances serves both routes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from statistics import median

from rpa.documents import Page, Word

A4_WIDTH_PT = 595.27
MIN_LABEL_SCORE = 0.78


def norm(text: str) -> str:
    """Lower-case letters, digits and CJK only: what label matching compares."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^0-9a-z\u3400-\u9fff]", "", text)


@dataclass(frozen=True)
class Match:
    """Where a label was found: word indexes on the page, box and similarity."""

    indexes: tuple[int, ...]
    box: tuple[float, float, float, float]
    score: float


@dataclass
class Geometry:
    page: Page
    lines: list[list[int]]  # word indexes, each line sorted left to right
    norms: list[str]  # norm() of each word, computed once

    @property
    def pt(self) -> float:
        """Page units per PDF point (1 for the text layer, dpi/72 for an image)."""
        return self.page.width / A4_WIDTH_PT

    def word(self, i: int) -> Word:
        return self.page.words[i]


def geometry(page: Page) -> Geometry:
    words = page.words
    order = sorted(range(len(words)), key=lambda i: words[i].middle)
    tolerance = 0.5 * median([w.height for w in words]) if words else 1.0
    lines: list[list[int]] = []
    for i in order:
        if lines and abs(words[i].middle - _line_middle(words, lines[-1])) <= tolerance:
            lines[-1].append(i)
        else:
            lines.append([i])
    ordered = [sorted(line, key=lambda i: words[i].box[0]) for line in lines]
    return Geometry(page, ordered, [norm(w.text) for w in words])


def _line_middle(words: list[Word], line: list[int]) -> float:
    return median(words[i].middle for i in line)


def union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def find_label(geo: Geometry, label: str, taken: set[int]) -> Match | None:
    """The run of consecutive words on one line that best matches `label`, if close enough."""
    target = norm(label)
    if not target:
        return None
    exact = _exact(geo, target, taken)
    if exact:
        return exact
    best: Match | None = None
    for line in geo.lines:
        for match in _windows(geo, line, target, taken):
            if match.score >= MIN_LABEL_SCORE and (best is None or match.score > best.score):
                best = match
    return best


def _exact(geo: Geometry, target: str, taken: set[int]) -> Match | None:
    """The first run of free words whose text is exactly the label (the text layer's case)."""
    for line in geo.lines:
        for start, first in enumerate(line):
            if first in taken or not geo.norms[first] or not target.startswith(geo.norms[first]):
                continue
            joined, picked = "", []
            for i in line[start:]:
                if i in taken or not target.startswith(joined + geo.norms[i]):
                    break
                joined += geo.norms[i]
                picked.append(i)
                if joined == target:
                    return Match(tuple(picked), union([geo.word(k).box for k in picked]), 1.0)
    return None


def _windows(geo: Geometry, line: list[int], target: str, taken: set[int]):
    """Every run of words starting at a word with letters that scores close to `target`."""
    shortest, longest = len(target) * 0.7, len(target) * 1.3 + 2
    for start, first in enumerate(line):
        if first in taken or not geo.norms[first]:
            continue
        joined, picked = "", []
        for i in line[start:]:
            if i in taken or len(joined) > longest:
                break
            joined += geo.norms[i]
            picked.append(i)
            if len(joined) >= shortest and _similar(joined, target):
                score = SequenceMatcher(None, joined, target, autojunk=False).ratio()
                yield Match(tuple(picked), union([geo.word(k).box for k in picked]), score)


def _similar(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return min(matcher.real_quick_ratio(), matcher.quick_ratio()) >= MIN_LABEL_SCORE


def same_band(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """True when two boxes share a text line (their vertical middles are close)."""
    height = max(a[3] - a[1], b[3] - b[1])
    return abs((a[1] + a[3]) / 2 - (b[1] + b[3]) / 2) <= 0.6 * height


def join_words(words: list[Word]) -> str:
    """Words in reading order: lines top to bottom, words left to right, CJK without spaces."""
    from bots.form_processing.validators import squash

    return squash(" ".join(w.text for w in words))
