"""Words -> lines -> phrases, and the ruled cell each phrase sits in.

A phrase is a run of words on one line with no wide gap, no colon and no ruled line between
them: a label, a value, a table cell's text. Cells come from the ruled lines the clean-up found
(`Page.rulings`): the nearest line above, below, left and right of a phrase that reach across it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from bots.form_processing.layout import geometry, join_words, union
from rpa.documents import Page, Word

Box = tuple[float, float, float, float]
GAP = 0.9  # a gap wider than this many word heights ends a phrase (a word space is ~0.3)
COLON = re.compile(r"[:：]$")


@dataclass
class Phrase:
    words: list[Word]
    line: int  # index of its line on the page, top to bottom
    height: float  # the line's median word height (page units)
    cell: Box | None = None

    @property
    def box(self) -> Box:
        return union([w.box for w in self.words])

    @property
    def text(self) -> str:
        return join_words(self.words)

    @property
    def conf(self) -> float:
        return min(w.conf for w in self.words)

    @property
    def colon(self) -> bool:
        return bool(COLON.search(self.words[-1].text))


def phrases(page: Page) -> list[Phrase]:
    """Every phrase of the page, lines top to bottom, left to right within a line."""
    geo = geometry(page)
    cuts = [seg[0] for seg in page.rulings.vertical]
    found = []
    for n, line in enumerate(geo.lines):
        words = [geo.word(i) for i in line]
        height = median(w.height for w in words)
        found += [Phrase(run, n, height) for run in _runs(words, height, page, cuts)]
    for phrase in found:
        phrase.cell = cell_of(phrase.box, page)
    return found


def _runs(words: list[Word], height: float, page: Page, cuts: list[float]) -> list[list[Word]]:
    runs: list[list[Word]] = []
    for w in words:
        if runs and not _breaks(runs[-1][-1], w, height, page):
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _breaks(left: Word, right: Word, height: float, page: Page) -> bool:
    if COLON.search(left.text) or right.box[0] - left.box[2] > GAP * height:
        return True
    middle = (left.middle + right.middle) / 2
    return any(left.box[2] - 2 <= x <= right.box[0] + 2 and y0 <= middle <= y1
               for x, y0, y1 in page.rulings.vertical)


def cell_of(box: Box, page: Page) -> Box | None:
    """The ruled cell around `box`, when lines enclose it on all four sides."""
    x_mid, y_mid = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    slack = 0.3 * (box[3] - box[1])
    above = [y for y, x0, x1 in page.rulings.horizontal if y <= box[1] + slack and x0 <= x_mid <= x1]
    below = [y for y, x0, x1 in page.rulings.horizontal if y >= box[3] - slack and x0 <= x_mid <= x1]
    left = [x for x, y0, y1 in page.rulings.vertical if x <= box[0] + slack and y0 <= y_mid <= y1]
    right = [x for x, y0, y1 in page.rulings.vertical if x >= box[2] - slack and y0 <= y_mid <= y1]
    if not (above and below and left and right):
        return None
    return (max(left), max(above), min(right), min(below))
