"""Image files (PNG, JPEG, TIFF; one page per frame) opened within Pillow's pixel limit."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps, ImageSequence

from rpa.documents.boundary import DocumentRejected, image_errors

ASSUMED_PAGE_INCHES = 8.27  # A4 width: the dpi of a scan that does not say
MIN_DPI, MAX_DPI = 50, 1200


def load_pages(path: Path, max_pages: int) -> list[tuple[Image.Image, float]]:
    """Every frame of an image file as (grayscale page, dpi)."""
    with image_errors(path), Image.open(path) as img:
        img.load()
        frames = [ImageOps.exif_transpose(f.copy()).convert("L")
                  for f in ImageSequence.Iterator(img)]
        dpi = _dpi(img)
    if len(frames) > max_pages:
        raise DocumentRejected(
            f"{path.name}: {len(frames)} pages, more than the {max_pages} allowed")
    return [(f, dpi or _guess_dpi(f)) for f in frames]


def _dpi(img: Image.Image) -> float:
    value = img.info.get("dpi", (0, 0))[0]
    return float(value) if MIN_DPI <= float(value) <= MAX_DPI else 0.0


def _guess_dpi(page: Image.Image) -> float:
    short_side = min(page.size)
    return max(MIN_DPI, min(MAX_DPI, short_side / ASSUMED_PAGE_INCHES))
