"""Bounds on what a document may cost to read, each a `SMARTLAB_*` setting listed in
rpa/settings.py (so `smartlab config` shows them): a file over them is rejected with its reason
before it is decoded, so a decompression bomb or a thousand-page upload costs no memory."""

from __future__ import annotations

from collections.abc import Mapping

from rpa.settings import SettingError, integer

NAMES = ("SMARTLAB_DOC_MAX_PAGES", "SMARTLAB_DOC_MAX_PIXELS", "SMARTLAB_DOC_MAX_MB")


def limit(name: str, environ: Mapping[str, str] | None = None) -> int:
    """A limit's value: a whole number above zero (zero would refuse every document)."""
    value = integer(name, environ)
    if value <= 0:
        raise SettingError(f"{name}={value} must be above zero")
    return value


def max_pages() -> int:
    return limit("SMARTLAB_DOC_MAX_PAGES")


def max_pixels() -> int:
    return limit("SMARTLAB_DOC_MAX_PIXELS")


def max_bytes() -> int:
    return limit("SMARTLAB_DOC_MAX_MB") * 1024 * 1024
