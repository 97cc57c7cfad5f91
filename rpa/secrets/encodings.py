"""The spellings a secret takes on its way out, so masking finds it in each of them.

A value sent in a query string is URL-encoded (`%2F`) or form-encoded (`+` for a space), in
a JSON body it is JSON-escaped, on a page it is HTML-escaped, and in a `Basic` header or a
token it is base64 — at any of three alignments, since the bytes before it (`user:`) shift
where its base64 starts. Each spelling is masked like the value itself.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Callable
from urllib.parse import quote, quote_plus

MIN_FRAGMENT = 6  # shorter base64 fragments would mask ordinary text


def _json(value: str) -> set[str]:
    return {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}


def _url(value: str) -> set[str]:
    return {quote(value, safe=""), quote(value), quote_plus(value, safe=""), quote_plus(value)}


def _base64(value: str) -> set[str]:
    found: set[str] = set()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        found |= {_aligned(encode, value.encode(), shift) for shift in range(3)}
    return {f for f in found if len(f) >= MIN_FRAGMENT}


def _aligned(encode: Callable[[bytes], bytes], data: bytes, shift: int) -> str:
    """The characters of base64(`shift` unknown bytes + data) that depend on data alone."""
    text = encode(b"\0" * shift + data).decode().rstrip("=")
    head = (0, 2, 3)[shift]  # chars that mix the unknown bytes in
    tail = 1 if (shift + len(data)) % 3 else 0  # the last char mixes in what follows
    return text[head:len(text) - tail]


SPELLINGS: tuple[Callable[[str], set[str]], ...] = (_url, _json, _base64, lambda v: {html.escape(v)})


def spellings(value: str) -> set[str]:
    """`value` and every encoded form of it (never an empty string)."""
    found = {value}
    for spell in SPELLINGS:
        found |= spell(value)
    return {s for s in found if s}
