"""The generic key-value extractor as it was before issue 13 (bots/form_processing/generic.py at
commit f900915), kept verbatim so bench/forms.py --generic measures the new one beside it.

Generic key-value mode, for forms with no template: pair label-like text with its value by
layout — after a colon on the same line, in the next cell to the right, or on the line below —
in English and Chinese alike. Every pair goes to review: nothing vouches for it.
"""

from __future__ import annotations

import re

from bots.form_processing.layout import geometry, join_words, union
from bots.form_processing.result import Field
from bots.form_processing.validators import JUNK
from rpa.documents import Page, Word

CELL_GAP = 8.0  # points: wider than a word space, narrower than the gap to a value cell
GENERIC_DOUBT = 0.85  # generic pairs never reach the acceptance threshold on their own
COLON = re.compile(r"[:：]$")
# An English-only OCR pass reads the Chinese half of a bilingual label as junk, often with
# digits or `@` (`HKID Card No. 27S 1} 88 S805`) and usually unsure: a label is judged by the
# words read surely, when it has any.
SURE = 0.5


def key_values(pages: list[Page]) -> list[Field]:
    return [f for page in pages for f in _page_pairs(page)]


def _page_pairs(page: Page) -> list[Field]:
    geo = geometry(page)
    lines = [[geo.word(i) for i in line] for line in geo.lines]
    fields: list[Field] = []
    skip = -1
    for n, line in enumerate(lines):
        if n == skip:
            continue
        cells = _cells(line, CELL_GAP * geo.pt)
        below = lines[n + 1] if n + 1 < len(lines) else []
        pair = _same_line(cells) or _below(cells, below, geo.pt)
        if pair:
            skip = n + 1 if pair[1] and pair[1][0] in below else -1
            fields.append(_field(page, *pair))
    return fields


def _cells(line: list[Word], gap: float) -> list[list[Word]]:
    cells: list[list[Word]] = []
    for w in line:
        if cells and w.box[0] - cells[-1][-1].box[2] <= gap:
            cells[-1].append(w)
        else:
            cells.append([w])
    return cells


def _same_line(cells: list[list[Word]]) -> tuple[list[Word], list[Word]] | None:
    words = [w for cell in cells for w in cell]
    for i, w in enumerate(words[:-1]):  # "Label: value"
        if COLON.search(w.text) and _label_like(words[: i + 1]):
            return words[: i + 1], words[i + 1:]
    if len(cells) >= 2 and _label_like(cells[0]) and not _ends_in_colon(cells[1]):
        return cells[0], [w for cell in cells[1:] for w in cell]
    return None


def _below(cells: list[list[Word]], next_line: list[Word] | None,
           pt: float) -> tuple[list[Word], list[Word]] | None:
    if len(cells) != 1 or not next_line or not _label_like(cells[0]):
        return None
    if cells[0][-1].text.endswith((",", ".", ";")) or any(COLON.search(w.text) for w in next_line):
        return None  # a sentence, or a line that is a pair of its own
    label, value = cells[0], next_line
    close = value[0].box[1] - label[-1].box[3] < 14 * pt
    aligned = abs(value[0].box[0] - label[0].box[0]) < 24 * pt
    return (label, value) if close and aligned and not _ends_in_colon(value) else None


def _ends_in_colon(words: list[Word]) -> bool:
    return bool(COLON.search(words[-1].text))


def _label_like(words: list[Word]) -> bool:
    """Short text of words, ending in a colon or with no digits: how labels look."""
    words = [w for w in words if w.conf >= SURE] or words
    text = join_words(words)
    letters = sum(c.isalpha() for c in text)
    digits = sum(c.isdigit() for c in text)
    if letters < 2 or len(text) > 60 or "@" in text:
        return False
    return bool(COLON.search(text)) or (digits == 0 and len(words) <= 8)


def _field(page: Page, label: list[Word], value: list[Word]) -> Field:
    conf = min(w.conf for w in [*label, *value]) * GENERIC_DOUBT
    text = join_words(value).strip(JUNK)
    return Field(COLON.sub("", join_words(label)), text, conf, page.number,
                 page.source, page.unit, union([w.box for w in label]),
                 union([w.box for w in value]) if value else None, join_words(value))
