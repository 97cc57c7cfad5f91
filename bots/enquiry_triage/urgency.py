"""How urgent an enquiry is: safety words and time words in both languages, plus the
model's view (the department the classifier chose, where some topics are safety matters).

A table of words and weights, not a chain of ifs; the level comes from the summed weight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SAFETY = 3
TIME = 1

WORDS: dict[str, int] = {
    # English safety words
    "danger": SAFETY, "dangerous": SAFETY, "on fire": SAFETY, "caught fire": SAFETY,
    "flooding": SAFETY, "flooded": SAFETY,
    "collapse": SAFETY, "collapsed": SAFETY, "could fall": SAFETY, "might fall": SAFETY,
    "injured": SAFETY, "injury": SAFETY, "trapped": SAFETY, "gas leak": SAFETY,
    "electric shock": SAFETY, "sparks": SAFETY, "sinkhole": SAFETY, "landslide": SAFETY,
    "burst": SAFETY, "gushing": SAFETY, "unsafe": SAFETY, "hits me": SAFETY, "abuse": SAFETY,
    "abused": SAFETY, "suicide": SAFETY, "nobody answers the door": SAFETY,
    # English time words
    "urgent": TIME, "urgently": TIME, "emergency": TIME, "immediately": TIME, "asap": TIME,
    "as soon as possible": TIME, "right now": TIME, "tonight": TIME,
    # Chinese safety words (written and Cantonese)
    "危險": SAFETY, "危险": SAFETY, "火警": SAFETY, "起火": SAFETY, "著火": SAFETY, "漏水": SAFETY,
    "爆喉": SAFETY, "爆咗": SAFETY, "水浸": SAFETY, "倒塌": SAFETY, "冧": SAFETY, "塌": SAFETY,
    "跌落": SAFETY, "受傷": SAFETY, "困住": SAFETY, "煤氣": SAFETY, "觸電": SAFETY,
    "山泥傾瀉": SAFETY, "虐待": SAFETY, "打我": SAFETY, "自殺": SAFETY, "唔安全": SAFETY,
    "隨時會": SAFETY, "冇人應": SAFETY,
    # Chinese time words
    "緊急": TIME, "紧急": TIME, "好急": TIME, "急需": TIME, "即刻": TIME, "立即": TIME,
    "盡快": TIME, "尽快": TIME, "馬上": TIME, "今晚": TIME,
}

# The model's view: for these departments a safety word means people may get hurt.
SAFETY_DEPARTMENTS = {"buildings", "highways", "water_supplies", "social_welfare"}

LEVELS = [(6, "urgent"), (3, "high"), (1, "elevated"), (0, "normal")]

_PATTERN = re.compile(
    "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
             for w in sorted(WORDS, key=len, reverse=True)),
    re.IGNORECASE)


@dataclass(frozen=True)
class Urgency:
    level: str
    score: int
    words: tuple[str, ...]


def assess(text: str, intent: str | None = None) -> Urgency:
    words = tuple(dict.fromkeys(m.group().lower() for m in _PATTERN.finditer(text)))
    score = sum(WORDS[w] for w in words)
    if intent in SAFETY_DEPARTMENTS and any(WORDS[w] == SAFETY for w in words):
        score += SAFETY
    return Urgency(level_of(score), score, words)


def level_of(score: int) -> str:
    return next(name for floor, name in LEVELS if score >= floor)
