"""Which language an enquiry is in: `zh` or `en`, by counting Chinese characters against
English words (one Chinese character carries about as much as one English word)."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect(text: str) -> str:
    """`zh` when Chinese characters are at least as many as English words, else `en`."""
    cjk = len(_CJK.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return "zh" if cjk and cjk >= words else "en"
