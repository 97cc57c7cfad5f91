"""Page-image clean-up before OCR, each step measured in bench/forms.py:

grayscale → upscale to ~300 dpi (LANCZOS) → deskew (projection profile) → denoise (3x3 smoothing)
→ binarise (Otsu) → remove ruled lines (long horizontal / vertical runs painted white).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter, ImageOps

TARGET_DPI = 300
MAX_SKEW = 5.0  # degrees; scanners rarely do worse, and a wider search finds false peaks
SKEW_STEP = 0.2
# Pillow's SMOOTH, a 3x3 mean weighted to the centre pixel (5 of 13), not a median: an eighth
# of the CPU (0.23 -> 0.03 s on a 300 dpi A4 page) and the benchmark's scans read as well or
# better. A plain 3x3 mean read them better still but blurred `M893287(0)` into `(O0)`.
DENOISE = ImageFilter.SMOOTH
LINE_SHARE = 0.06  # a ruled line is a dark run at least this share of the page's width


@dataclass(frozen=True)
class Prepared:
    """The image Tesseract reads, and how its pixels relate to the original page image."""

    ocr_image: Image.Image  # binarised, upscaled, deskewed
    page_image: Image.Image  # grayscale, deskewed, at the original resolution
    scale: float  # ocr_image pixels per page_image pixel
    angle: float  # degrees the page was rotated to straighten it


def prepare(image: Image.Image, dpi: float, steps: frozenset[str] | None = None) -> Prepared:
    """Run the clean-up steps (all by default) on one page image scanned at `dpi`."""
    steps = ALL_STEPS if steps is None else steps
    gray = ImageOps.grayscale(image) if "grayscale" in steps or image.mode != "L" else image
    angle = estimate_skew(gray) if "deskew" in steps else 0.0
    if angle:
        gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    scale = upscale_factor(dpi) if "upscale" in steps else 1.0
    work = gray.resize((round(gray.width * scale), round(gray.height * scale)),
                       Image.Resampling.LANCZOS) if scale != 1.0 else gray
    if "denoise" in steps:
        work = work.filter(DENOISE)
    if "binarise" in steps:
        work = binarise(work, remove_lines="lines" in steps)
    return Prepared(work, gray, scale, angle)


ALL_STEPS = frozenset({"grayscale", "upscale", "deskew", "denoise", "binarise", "lines"})


def upscale_factor(dpi: float) -> float:
    """How much to enlarge a page scanned at `dpi` to read at about 300 dpi (never shrink)."""
    if dpi <= 0 or dpi >= TARGET_DPI * 0.9:
        return 1.0
    return min(TARGET_DPI / dpi, 3.0)


def estimate_skew(gray: Image.Image) -> float:
    """The rotation (degrees) that makes text rows sharpest (row-sum variance peaks)."""
    small = gray.copy()
    small.thumbnail((900, 900))
    ink = ImageOps.invert(small).point(lambda v: 255 if v > 96 else 0)
    angles = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, SKEW_STEP)
    scores = [_row_variance(ink.rotate(a, resample=Image.Resampling.NEAREST)) for a in angles]
    best = float(angles[int(np.argmax(scores))])
    return 0.0 if abs(best) < SKEW_STEP / 2 else round(best, 2)


def _row_variance(ink: Image.Image) -> float:
    rows = np.asarray(ink, dtype=np.float32).sum(axis=1)
    return float(np.var(rows))


def otsu_threshold(values: np.ndarray) -> int:
    """The gray level that best splits ink from paper (Otsu); ink is at or below it."""
    p = np.bincount(values.ravel(), minlength=256).astype(np.float64) / values.size
    omega = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    denom = omega * (1 - omega)
    between = np.where(denom > 0, (mu[-1] * omega - mu) ** 2 / np.where(denom > 0, denom, 1), 0)
    return int(np.argmax(between))


def binarise(gray: Image.Image, remove_lines: bool = True) -> Image.Image:
    """Black text on white; ruled lines and table borders removed (they turn cell text to junk)."""
    pixels = np.asarray(gray, dtype=np.uint8)
    ink = pixels <= otsu_threshold(pixels)
    if remove_lines:
        ink &= ~_line_mask(ink)
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8), mode="L")


def _line_mask(ink: np.ndarray) -> np.ndarray:
    length = max(20, int(ink.shape[1] * LINE_SHARE))
    lines = long_runs(ink, length, axis=1) | long_runs(ink, length, axis=0)
    # widen by a pixel each way so anti-aliased edges of a line go with it
    grown = lines.copy()
    grown[1:, :] |= lines[:-1, :]
    grown[:-1, :] |= lines[1:, :]
    grown[:, 1:] |= lines[:, :-1]
    grown[:, :-1] |= lines[:, 1:]
    return grown


def long_runs(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels inside a straight dark run of at least `length` along `axis` (an opening):
    a box mean over the run finds where it is all ink (erosion), a second spreads it back
    (dilation). Pillow's box filter does both in C, faster than numpy cumulative sums.
    A run touching the image edge counts as continuing past it (scanner borders go too)."""
    radius = max(1, (length - 1) // 2)
    size = (radius, 0) if axis == 1 else (0, radius)
    mask = Image.fromarray(np.where(ink, 255, 0).astype(np.uint8), mode="L")
    eroded = mask.filter(ImageFilter.BoxBlur(size)).point(lambda v: 255 if v >= 254 else 0)
    return np.asarray(eroded.filter(ImageFilter.BoxBlur(size))) > 0
