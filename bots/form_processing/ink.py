"""Ink on the page image: is a checkbox ticked, is there a signature?

Both routes keep a page image (text-layer pages are rendered on first use), so the same
measurement serves digital PDFs and scans. Regions are in page units.
"""

from __future__ import annotations

import numpy as np

from rpa.documents import Page
from rpa.documents.preprocess import long_runs

Box = tuple[float, float, float, float]
DARK = 140  # gray level under which a pixel counts as ink
TICK_SHARE = 0.12  # share of a box's interior inked when it is ticked
SIGN_SHARE = 0.004  # share of a signature region inked when it is signed (measured: blank
# cells of noisy scans stay under 0.0015, signed ones over 0.008)


def _dark(page: Page, region: Box) -> np.ndarray:
    image, scale = page.image()
    x0, y0, x1, y1 = (int(round(v * scale)) for v in region)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(image.width, x1), min(image.height, y1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return np.zeros((1, 1), dtype=bool)
    return np.asarray(image.crop((x0, y0, x1, y1)).convert("L")) < DARK


def box_fill(page: Page, region: Box) -> float:
    """Share of ink inside the checkbox found in `region` (0 when no box is there)."""
    ink = _dark(page, region)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if len(rows) < 4 or len(cols) < 4:
        return 0.0
    top, bottom, left, right = rows[0], rows[-1], cols[0], cols[-1]
    dy, dx = (bottom - top) // 4, (right - left) // 4
    inner = ink[top + dy + 1: bottom - dy, left + dx + 1: right - dx]
    return float(inner.mean()) if inner.size else 0.0


def stroke_share(page: Page, region: Box, skip: list[Box]) -> float:
    """Share of `region` inked by strokes: ruled lines and the words in `skip` left out."""
    image, scale = page.image()
    ink = _dark(page, region)
    if min(ink.shape) < 4:
        return 0.0
    for box in skip:
        x0, y0 = int((box[0] - region[0]) * scale), int((box[1] - region[1]) * scale)
        x1, y1 = int((box[2] - region[0]) * scale) + 1, int((box[3] - region[1]) * scale) + 1
        ink[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = False
    length = max(8, ink.shape[1] // 12)
    lines = long_runs(ink, length, axis=1) | long_runs(ink, min(length, ink.shape[0] - 1), 0)
    return float((ink & ~_grown(lines, 2)).mean())


def _grown(mask: np.ndarray, pixels: int) -> np.ndarray:
    """`mask` widened by `pixels` each way: a blurred scan's ruled line has soft edges."""
    for _ in range(pixels):
        grown = mask.copy()
        grown[1:] |= mask[:-1]
        grown[:-1] |= mask[1:]
        grown[:, 1:] |= mask[:, :-1]
        grown[:, :-1] |= mask[:, 1:]
        mask = grown
    return mask


def confidence(share: float, threshold: float) -> float:
    """How far a measurement is from its threshold, as 0..1."""
    return float(min(1.0, abs(share - threshold) / threshold))
