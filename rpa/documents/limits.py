"""Bounds on what a document may cost to read, each a `SMARTLAB_*` setting (listed by
`smartlab config`): a file over them is rejected with its reason before it is decoded, so a
decompression bomb or a thousand-page upload costs no memory."""

from __future__ import annotations

import os
from collections.abc import Mapping

from rpa.errors import SmartLabError

# name -> (default, meaning); rpa/settings.py lists the same names for `smartlab config`
LIMITS: dict[str, tuple[int, str]] = {
    "SMARTLAB_DOC_MAX_PAGES": (100, "pages a PDF or image file may have"),
    "SMARTLAB_DOC_MAX_PIXELS": (89_478_485, "pixels a page image may have (Pillow's bomb guard)"),
    "SMARTLAB_DOC_MAX_MB": (100, "size of a document file, in MB"),
}


class LimitInvalid(SmartLabError):
    """A limit setting is not a positive whole number: fix the environment."""


def limit(name: str, environ: Mapping[str, str] | None = None) -> int:
    default, _ = LIMITS[name]
    raw = (os.environ if environ is None else environ).get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise LimitInvalid(f"{name} must be a positive whole number, not {raw!r}")
    return value


def max_pages() -> int:
    return limit("SMARTLAB_DOC_MAX_PAGES")


def max_pixels() -> int:
    return limit("SMARTLAB_DOC_MAX_PIXELS")


def max_bytes() -> int:
    return limit("SMARTLAB_DOC_MAX_MB") * 1024 * 1024
