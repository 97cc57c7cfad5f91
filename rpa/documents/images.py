"""Image files (PNG, JPEG, TIFF; one page per frame) opened within Pillow's pixel limit."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps, ImageSequence

from rpa.documents.boundary import DocumentRejected, image_errors
from rpa.documents.limits import max_pixels

ASSUMED_PAGE_INCHES = 8.27  # A4 width: the dpi of a scan that does not say
MIN_DPI, MAX_DPI = 50, 1200


def load_pages(path: Path, max_pages: int) -> list[tuple[Image.Image, float]]:
    """Every frame of an image file as (grayscale page, dpi). Sizes and the frame count are
    checked from the headers before any frame is decoded, so a bomb costs no memory."""
    kept, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, max_pixels()  # Pillow's own guard too
    try:
        return _load(path, max_pages)
    finally:
        Image.MAX_IMAGE_PIXELS = kept


def _load(path: Path, max_pages: int) -> list[tuple[Image.Image, float]]:
    with image_errors(path), Image.open(path) as img:
        count = getattr(img, "n_frames", 1)
        if count > max_pages:
            raise DocumentRejected(f"{path.name}: {count} pages, more than the {max_pages} allowed")
        frames = []
        for frame in ImageSequence.Iterator(img):
            _check_size(path, frame.size)
            frames.append(ImageOps.exif_transpose(frame.copy()).convert("L"))
        dpi = _dpi(img)
    return [(f, dpi or _guess_dpi(f)) for f in frames]


def _check_size(path: Path, size: tuple[int, int]) -> None:
    if size[0] * size[1] > max_pixels():
        raise DocumentRejected(f"{path.name}: image too large (possible decompression bomb): "
                               f"{size[0]}x{size[1]} pixels, over the limit of {max_pixels()}")


def _dpi(img: Image.Image) -> float:
    value = img.info.get("dpi", (0, 0))[0]
    return float(value) if MIN_DPI <= float(value) <= MAX_DPI else 0.0


def _guess_dpi(page: Image.Image) -> float:
    short_side = min(page.size)
    return max(MIN_DPI, min(MAX_DPI, short_side / ASSUMED_PAGE_INCHES))
