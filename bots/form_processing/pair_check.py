"""How far a generic pair's reading can be trusted, beside how likely it is to be a pair.

The pairing model says whether a label and a value belong together; it cannot see that the
value was misread. The wrong pairs it was sure of on the benchmark were misreadings: a digit
read as its neighbour with confidence (`23` as `28`), a letter read next to digits
(`E3394071` as `€33894071`, `7036` as `JO36`) and a label carrying junk the English pass made
of a Chinese half (`Remarks fiat`). So, as for template fields, a pair's confidence is the
weakest of its probability and what its words allow (table `CHECKS`): each check gives a cap,
and a capped pair below the threshold goes to a person instead of being accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rpa.documents import Word

CJK = re.compile(r"[\u3400-\u9fff]")
# a character OCR reads in place of a digit, next to a digit (`JO36`, `€3389`, `S100`)
LOOKALIKE = re.compile(r"(?<=\d)[OoQDIl|SB€£§]|[OoQDIl|SB€£§](?=\d)")
KEPT_DOUBT = 0.5  # a word's doubt counts half: the model already weighs word confidences
LOOKALIKE_CAP = 0.5  # a value with a lookalike next to a digit is doubtful whatever its score


def _word_cap(words: Sequence[Word]) -> float:
    """The weakest word, its doubt halved: a word read at 0.8 caps the pair at 0.9."""
    weakest = min((w.conf for w in words), default=1.0)
    return 1 - KEPT_DOUBT * (1 - weakest)


def value_words(label: Sequence[Word], value: Sequence[Word]) -> float:
    return _word_cap(value)


def label_words(label: Sequence[Word], value: Sequence[Word]) -> float:
    """Latin words of the label only: its Chinese half comes from the second look, whose
    mean confidence over a run of characters is lower for the same certainty."""
    return _word_cap([w for w in label if not CJK.search(w.text)])


def lookalikes(label: Sequence[Word], value: Sequence[Word]) -> float:
    return LOOKALIKE_CAP if any(LOOKALIKE.search(w.text) for w in value) else 1.0


CHECKS: tuple[Callable[[Sequence[Word], Sequence[Word]], float], ...] = (
    value_words, label_words, lookalikes)


def confidence(probability: float, label: Sequence[Word], value: Sequence[Word]) -> float:
    """The pair's confidence: its probability, capped by every check of its words."""
    return min([probability, *(check(label, value) for check in CHECKS)])
