from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from rpa.documents import estimate_skew, prepare
from rpa.documents import pdf as pdfdoc
from rpa.documents.preprocess import binarise, otsu_threshold, upscale_factor


def _form_image(sample: Path, dpi: int = 100) -> Image.Image:
    path = sample / "licence_application-002-digital.pdf"
    with pdfdoc.open_pdf(path) as doc:
        return pdfdoc.render(path, doc.pages[0], dpi)


@pytest.mark.parametrize("angle", [-2.6, -1.0, 1.4, 2.8])
def test_estimate_skew_recovers_rotation(sample: Path, angle: float) -> None:
    skewed = _form_image(sample).rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert estimate_skew(skewed) == pytest.approx(-angle, abs=0.3)


def test_estimate_skew_leaves_straight_page_alone(sample: Path) -> None:
    assert estimate_skew(_form_image(sample)) == 0.0


@pytest.mark.parametrize(("dpi", "factor"), [(100, 3.0), (150, 2.0), (200, 1.5), (300, 1.0),
                                             (320, 1.0), (600, 0.5), (0, 1.0)])
def test_upscale_factor_reaches_about_300_dpi(dpi: float, factor: float) -> None:
    assert upscale_factor(dpi) == pytest.approx(factor)


@pytest.mark.parametrize(("dpi", "factor"), [(100, 2.0), (150, 200 / 150), (210, 1.0),
                                             (300, 200 / 300)])
def test_upscale_factor_resizes_to_the_reading_dpi_asked(dpi: float, factor: float) -> None:
    assert upscale_factor(dpi, 200) == pytest.approx(factor)


def test_otsu_threshold_splits_ink_from_paper() -> None:
    values = np.array([30] * 100 + [220] * 900, dtype=np.uint8)
    assert 30 <= otsu_threshold(values) < 220


def test_binarise_removes_ruled_lines_and_keeps_text() -> None:
    img = Image.new("L", (1000, 200), 235)
    draw = ImageDraw.Draw(img)
    draw.line([(0, 50), (999, 50)], fill=20, width=3)  # a table border
    draw.line([(500, 0), (500, 199)], fill=20, width=3)
    draw.text((100, 100), "HKID A123456(3)", fill=10, font_size=40)
    out = np.asarray(binarise(img)) == 0
    assert not out[48:53, :].any() and not out[:, 498:503].any()
    assert out[100:150, 100:450].sum() > 500


def test_prepare_maps_scale_and_angle(sample: Path) -> None:
    skewed = _form_image(sample).rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=255)
    prepared = prepare(skewed, dpi=100)
    assert prepared.scale == pytest.approx(3.0)
    assert prepared.ocr_image.width == pytest.approx(skewed.width * 3, abs=1)
    assert prepared.page_image.size == skewed.size
    assert prepared.angle == pytest.approx(-2.0, abs=0.3)
