"""Generic key-value mode, for forms with no template: read the layout like a person.

Words -> lines -> phrases -> ruled cells (phrases.py); unsure runs read again in Chinese
(generic_read.py); every phrase that could be a label is offered the values its layout allows
(pairing.py: right on its line, below it, in its cell, down its table column, ticked options);
a learned score (pairing_model.py) says how likely each pair is, and the likeliest are kept,
each value used once. A label keeps one value beside or below it but every value of its
column or ticked option, so several answers per label and labels without answers both come
out as they are. A pair's confidence is its score capped by what its words allow
(pair_check.py), so a sure pair can be accepted unreviewed unless it was misread (asking
p >= 0.93 instead was tried: fewer pairs accepted, no surer; docs/forms.md).
"""

from __future__ import annotations

import re

from bots.form_processing import pair_check
from bots.form_processing.generic_read import second_look
from bots.form_processing.layout import join_words, union
from bots.form_processing.pairing import Candidate, candidates
from bots.form_processing.pairing_model import probability
from bots.form_processing.result import Field
from bots.form_processing.validators import JUNK
from rpa.documents import Page, Word

JUNK_CONF = 0.5  # a label's last word read less surely than this, with no CJK, is junk
CJK = re.compile(r"[\u3400-\u9fff]")
MIN_PAIR = 0.2  # tuned on the training pages (seed 99): F1 0.621 at 0.5, 0.653 at 0.3, 0.676 at 0.2
MANY = {"column", "tick"}  # kinds where one label has several values
COLON = re.compile(r"[:：]\s*$")
BOX_MARK = re.compile(r"^[^0-9A-Za-z\u3400-\u9fff]{1,3}\s+")  # a tick box read as a mark


def key_values(pages: list[Page]) -> list[Field]:
    return [f for page in pages for f in _page_pairs(page)]


def page_candidates(page: Page) -> list[Candidate]:
    """The page's candidate pairs, after the Chinese second look (used by training too)."""
    second_look([page])
    return candidates(page)


def _page_pairs(page: Page) -> list[Field]:
    return select(page, page_candidates(page))


def select(page: Page, found: list[Candidate], min_pair: float = MIN_PAIR) -> list[Field]:
    """The likeliest candidates, most likely first, each phrase used once."""
    scored = sorted(((probability(c.features), c) for c in found), key=lambda t: -t[0])
    labels: set[int] = set()  # phrases used as labels
    values: set[int] = set()  # phrases used as values
    single: set[int] = set()  # labels that took their one value beside or below
    kept = []
    for p, c in scored:
        if p < min_pair:
            break
        ids = [id(v) for v in c.value]
        taken = id(c.label) in values or any(i in values or i in labels for i in ids)
        if taken or (c.kind not in MANY and id(c.label) in single):
            continue
        labels.add(id(c.label))
        values.update(ids)
        if c.kind not in MANY:
            single.add(id(c.label))
        kept.append(_field(page, c, p))
    return sorted(kept, key=lambda f: (f.key_box[1], f.key_box[0]) if f.key_box else (0, 0))


def _label_words(c: Candidate) -> list[Word]:
    """The label as read, less the junk an English pass made of a Chinese half it could not
    read again (unsure words with no CJK at its end)."""
    words = list(c.label.words)
    while len(words) > 1 and words[-1].conf < JUNK_CONF and not CJK.search(words[-1].text):
        words.pop()
    return words


def _field(page: Page, c: Candidate, p: float) -> Field:
    """A pair as a field; its confidence is its probability capped by its words' checks
    (pair_check.py), so a sure pair of misread words goes to review."""
    label, words = _label_words(c), [w for v in c.value for w in v.words]
    raw = BOX_MARK.sub("", c.value_text)
    key = COLON.sub("", join_words(label)).strip()
    return Field(key, raw.strip(JUNK), pair_check.confidence(p, label, words), page.number,
                 page.source, page.unit, c.label.box, union([w.box for w in words]), raw)
