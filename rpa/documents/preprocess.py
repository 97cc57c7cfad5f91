"""Page-image clean-up before OCR, each step measured in bench/forms.py:

grayscale → deskew (projection profile) → resize to the reading dpi (~300 by default) → denoise (3x3 smoothing)
→ binarise (Otsu) → remove ruled lines (morphological opening with long kernels, painted
white) → despeckle (3x3 median of the binary image), keeping the lines found as `Rulings`
for layout reasoning (table cells).

OpenCV does the pixel work (rotation, resizing, filtering, opening, components): on a 300 dpi
A4 page the clean-up fell from about 0.7 s CPU with Pillow and numpy to under 0.15 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageOps

# one page per core, as Tesseract's OMP_THREAD_LIMIT=1: OpenCV's second thread on the
# 2-core machine cost a sixth more CPU for the clean-up (0.133 -> 0.112 s a page, one thread)
cv2.setNumThreads(1)

TARGET_DPI = 300
MAX_SKEW = 5.0  # degrees; scanners rarely do worse, and a wider search finds false peaks
SKEW_STEP = 0.2
SKEW_SIDE = 600  # the deskew search runs on the page shrunk to fit this many pixels
# Pillow's SMOOTH kernel (a 3x3 mean weighted to the centre pixel, 5 of 13), not a median: an
# eighth of the CPU and the benchmark's scans read as well or better. A plain 3x3 mean read
# them better still but blurred `M893287(0)` into `(O0)`.
SMOOTH = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], dtype=np.float32) / 13
LINE_SHARE = 0.06  # a ruled line is a dark run at least this share of the page's width
Segment = tuple[float, float, float]  # horizontal: (y, x0, x1); vertical: (x, y0, y1)


@dataclass(frozen=True)
class Rulings:
    """Ruled lines found on the page, in pixels of the page image (not the OCR image)."""

    horizontal: list[Segment] = field(default_factory=list)
    vertical: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class Prepared:
    """The image Tesseract reads, and how its pixels relate to the original page image."""

    ocr_image: Image.Image  # binarised, upscaled, deskewed
    page_image: Image.Image  # grayscale, deskewed, at the original resolution
    scale: float  # ocr_image pixels per page_image pixel
    angle: float  # degrees the page was rotated to straighten it
    rulings: Rulings = field(default_factory=Rulings)


def prepare(image: Image.Image, dpi: float, steps: frozenset[str] | None = None,
            target: float = TARGET_DPI) -> Prepared:
    """Run the clean-up steps (all by default) on one page image scanned at `dpi`, to be
    read at about `target` dpi."""
    steps = ALL_STEPS if steps is None else steps
    gray = ImageOps.grayscale(image) if "grayscale" in steps or image.mode != "L" else image
    angle = estimate_skew(gray) if "deskew" in steps else 0.0
    pixels = np.asarray(gray, dtype=np.uint8)
    if angle:
        pixels = rotate(pixels, angle)
        gray = Image.fromarray(pixels, mode="L")
    scale = upscale_factor(dpi, target) if "upscale" in steps else 1.0
    work = _resize(pixels, scale) if scale != 1.0 else pixels
    if "denoise" in steps:
        work = cv2.filter2D(work, -1, SMOOTH)
    rulings = Rulings()
    if "binarise" in steps:
        work, rulings = _binarise(work, "lines" in steps, scale)
        if "despeckle" in steps:  # fax and scanner specks, which Tesseract reads as junk
            work = cv2.medianBlur(work, 3)
    return Prepared(Image.fromarray(work, mode="L"), gray, scale, angle, rulings)


ALL_STEPS = frozenset({"grayscale", "upscale", "deskew", "denoise", "binarise", "lines",
                       "despeckle"})


def rotate(pixels: np.ndarray, angle: float, nearest: bool = False) -> np.ndarray:
    """`pixels` turned `angle` degrees anticlockwise about the centre (as Pillow's rotate)."""
    h, w = pixels.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    flags = cv2.INTER_NEAREST if nearest else cv2.INTER_CUBIC
    return cv2.warpAffine(pixels, matrix, (w, h), flags=flags, borderValue=255)


def upscale_factor(dpi: float, target: float = TARGET_DPI) -> float:
    """How much to resize a page scanned at `dpi` to read at about `target` dpi: enlarged
    (at most 3x) below 90% of it, shrunk above 110% (Tesseract's cost grows with pixels)."""
    if dpi <= 0 or target * 0.9 <= dpi <= target * 1.1:
        return 1.0
    return min(target / dpi, 3.0)


def _resize(pixels: np.ndarray, scale: float) -> np.ndarray:
    size = (round(pixels.shape[1] * scale), round(pixels.shape[0] * scale))
    method = cv2.INTER_LANCZOS4 if scale > 1 else cv2.INTER_AREA  # area: no aliasing shrinking
    return cv2.resize(pixels, size, interpolation=method)


def estimate_skew(gray: Image.Image) -> float:
    """The rotation (degrees) that makes text rows sharpest (row-sum variance peaks):
    whole degrees first, then SKEW_STEP around the best."""
    small = gray.copy()
    small.thumbnail((SKEW_SIDE, SKEW_SIDE))
    ink = np.where(np.asarray(small, dtype=np.uint8) < 160, 0, 255).astype(np.uint8)
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 1.0)
    best = _best_angle(ink, coarse)
    fine = np.arange(best - 0.8, best + 0.8 + 1e-9, SKEW_STEP)
    best = _best_angle(ink, fine[np.abs(fine) <= MAX_SKEW + 1e-9])
    return 0.0 if abs(best) < SKEW_STEP / 2 else round(best, 2)


def _best_angle(ink: np.ndarray, angles: np.ndarray) -> float:
    scores = [float(np.var((255 - rotate(ink, a, nearest=True)).sum(axis=1, dtype=np.float32)))
              for a in angles]
    return float(angles[int(np.argmax(scores))])


def otsu_threshold(values: np.ndarray) -> int:
    """The gray level that best splits ink from paper (Otsu); ink is at or below it."""
    flat = np.ascontiguousarray(values, dtype=np.uint8).reshape(1, -1)
    level, _ = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return int(level)


def binarise(gray: Image.Image, remove_lines: bool = True) -> Image.Image:
    """Black text on white; ruled lines and table borders removed (they turn cell text to junk)."""
    pixels, _ = _binarise(np.asarray(gray, dtype=np.uint8), remove_lines, 1.0)
    return Image.fromarray(pixels, mode="L")


def _binarise(pixels: np.ndarray, remove_lines: bool, scale: float) -> tuple[np.ndarray, Rulings]:
    _, ink = cv2.threshold(pixels, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rulings = Rulings()
    if remove_lines:
        length = max(20, int(ink.shape[1] * LINE_SHARE))
        across, down = _opened(ink, length, 1), _opened(ink, length, 0)
        rulings = Rulings(_segments(across, 1, scale), _segments(down, 0, scale))
        lines = cv2.dilate(across | down, np.ones((3, 3), np.uint8))  # anti-aliased edges too
        ink &= ~lines
    return 255 - ink, rulings


def _opened(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    shape = (length, 1) if axis == 1 else (1, length)  # OpenCV sizes are (width, height)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))


def _segments(mask: np.ndarray, axis: int, scale: float) -> list[Segment]:
    """Each connected run of line pixels as (position, start, end) in page-image pixels."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found = []
    for x, y, w, h in (cv2.boundingRect(c) for c in contours):
        middle, start, end = (y + h / 2, x, x + w) if axis == 1 else (x + w / 2, y, y + h)
        found.append((middle / scale, start / scale, end / scale))
    return sorted(found)


def long_runs(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels inside a straight dark run of at least `length` along `axis` (an opening).
    A run touching the image edge counts as continuing past it (scanner borders go too)."""
    mask = np.where(ink, 255, 0).astype(np.uint8)
    return _opened(mask, max(1, length), axis) > 0
