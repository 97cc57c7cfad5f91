"""Personal data out of text before it reaches a log or the similar-case index.

Each kind is a pattern and a placeholder, applied in table order (e-mail first: addresses hold
digits that would otherwise look like phone numbers). Detection is deliberately greedy: a
redacted reference number costs little, a leaked identity card number costs a lot.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}[\s-]?(?:19|20)\d{2}")

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("EMAIL", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("HKID", re.compile(
        r"(?<![A-Za-z0-9])[A-Za-z]{1,2}\s?\d{6}\s?(?:\(\s?[0-9Aa]\s?\)|[0-9Aa])(?!\d)")),
    ("PHONE", re.compile(r"(?<![\d-])(?:\+?\(?852\)?[\s-]?)?[2-9]\d{3}[\s-]?\d{4}(?!\d)")),
    ("PHONE", re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")),
    ("ADDRESS", re.compile(
        r"\b(?:Flat|Room|Rm|Unit)\s+[A-Z0-9-]{1,5}\b(?:,?\s*(?:\d{1,3}|G)/F\b)?", re.IGNORECASE)),
    ("ADDRESS", re.compile(r"\b(?:\d{1,3}|G)/F\b", re.IGNORECASE)),
    ("ADDRESS", re.compile(r"[0-9一二三四五六七八九十]{1,3}\s?樓\s?[A-Z0-9]{0,4}\s?室?")),
    ("ADDRESS", re.compile(r"[A-Z0-9]{1,4}\s?室|第?[0-9一二三四五六七八九十]{1,3}\s?座")),
]


@dataclass(frozen=True)
class Redacted:
    text: str
    found: dict[str, int]


def redact(text: str) -> Redacted:
    found: Counter[str] = Counter()
    for kind, pattern in PATTERNS:
        text = pattern.sub(_replacer(kind, found), text)
    return Redacted(text, dict(found))


def redact_text(text: str) -> str:
    return redact(text).text


_PLACEHOLDER = re.compile(r"\s*\[(?:EMAIL|HKID|PHONE|ADDRESS)\]")


def for_model(text: str) -> str:
    """Redacted, and without the placeholders: the classifier should judge the topic, and a
    contact line ("call me on [PHONE]") says nothing about which department it belongs to."""
    return _PLACEHOLDER.sub("", redact_text(text)).strip()


def _replacer(kind: str, found: Counter[str]) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        if kind == "PHONE" and _YEAR_RANGE.fullmatch(match.group()):
            return match.group()  # "2023-2024" is a tax year, not a phone number
        found[kind] += 1
        return f"[{kind}]"

    return replace
