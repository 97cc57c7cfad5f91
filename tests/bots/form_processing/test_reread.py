from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from bots.form_processing import process
from bots.form_processing.reread import crop_value, rereads
from rpa.documents import Page
from tests.bots.form_processing.conftest import truth_of

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _page_with(text: str) -> Page:
    image = Image.new("L", (1400, 300), 250)
    font = ImageFont.truetype(str(NOTO), 44, index=4)
    ImageDraw.Draw(image).text((100, 120), text, fill=20, font=font)
    return Page(1, image.width, image.height, "ocr", [], _image=(image, 1.0))


@pytest.mark.skipif(not NOTO.exists(), reason="Noto Sans CJK (fonts-noto-cjk) is not installed")
def test_rereads_reads_a_chinese_date_from_its_crop() -> None:
    page = _page_with("2021年3月13日")
    first_text, conf = next(rereads("date", page, (100, 125, 400, 175), pt=300 / 72))
    assert first_text.replace(" ", "") == "2021年3月13日" and conf > 0.5


def test_rereads_skips_text_layer_pages_and_untyped_fields() -> None:
    page = Page(1, 595, 842, "text", [])
    assert list(rereads("date", page, (0, 0, 10, 10), pt=1.0)) == []
    assert list(rereads("name", _page_with("陳大文"), (0, 0, 10, 10), pt=1.0)) == []


def test_crop_value_pads_and_scales_to_about_300_dpi() -> None:
    page = _page_with("x")
    crop = crop_value(page, (100, 100, 200, 140), pt=150 / 72)  # a 150 dpi page image
    assert crop.height == pytest.approx((40 + 10 * 150 / 72) * 2, abs=3)


def test_second_look_fixes_a_date_the_page_pass_misread(sample: Path) -> None:
    path = sample / "health_declaration-001-scan.pdf"
    field = process(path).field("date_signed")
    assert field.value == truth_of(path)["fields"]["date_signed"]
    assert field.problem is None
