from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from bots.form_processing import process
from bots.form_processing.reread import Look, crop_value, keeps, read_again, reads_chinese, wants_look
from rpa.documents import Page
from tests.bots.form_processing.conftest import truth_of

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _page_with(text: str) -> Page:
    image = Image.new("L", (1400, 300), 250)
    font = ImageFont.truetype(str(NOTO), 44, index=4)
    ImageDraw.Draw(image).text((100, 120), text, fill=20, font=font)
    return Page(1, image.width, image.height, "ocr", [], _image=(image, 1.0))


@pytest.mark.skipif(not NOTO.exists(), reason="Noto Sans CJK (fonts-noto-cjk) is not installed")
def test_read_again_reads_each_crop_in_its_types_language() -> None:
    date, name = _page_with("2021年3月13日"), _page_with("陳大文")
    looks = [Look("date", date, (100, 125, 400, 175), 300 / 72),
             Look("name", name, (100, 125, 300, 175), 300 / 72)]
    first, second = read_again(looks, 0)
    assert "".join(w.text for w in first) == "2021年3月13日" and min(w.conf for w in first) > 0.5
    assert "".join(w.text for w in second) == "陳大文"


def test_read_again_reads_nothing_past_a_types_languages() -> None:
    look = Look("name", _page_with("陳大文"), (100, 125, 300, 175), 300 / 72)
    assert read_again([look], 1) == [[]]


@pytest.mark.parametrize(("field_type", "source", "problem", "wanted"), [
    ("date", "ocr", "'2021 3 13' is not a date", True),   # failed its check
    ("date", "ocr", None, False),                          # passed: never re-read
    ("email", "ocr", None, False),
    ("name", "ocr", None, True),                           # a Chinese name read as junk
    ("text", "ocr", None, True),                           # even if read surely: `日本` as `Ax`
    ("name", "text", None, False),                         # the text layer is exact
    ("checkbox", "ocr", "the box is not ticked", False),   # no words to re-read
])
def test_wants_look_rereads_failed_checks_and_every_unchecked_value(
        field_type: str, source: str, problem: str | None, wanted: bool) -> None:
    assert wants_look(field_type, source, problem) is wanted


@pytest.mark.parametrize(("field_type", "first", "second", "passes", "kept"), [
    ("date", ("2021 3 13", 0.9), ("2021年3月13日", 0.5), True, True),
    ("date", ("2021 3 13", 0.9), ("2021年3月1", 0.9), False, False),
    ("name", ("OR BKEF", 0.6), ("張詠詩", 0.4), True, True),       # junk in English, Chinese now
    ("text", ("Ax", 0.91), ("日本", 0.96), True, True),            # sure junk, surer Chinese
    ("text", ("Flat F, 16/F, Sunshine Garden", 0.92), ("人", 0.0), True, False),  # sure English
    ("name", ("CHOI Tsz Hin", 0.8), ("CHOITszHin", 0.95), True, False),  # not Chinese
    ("name", ("CHOI Tsz Hin", 0.8), ("CHOI 才 Hin", 0.95), True, False),  # one stray CJK
    ("text", ("開心從家", 0.5), ("開心麵家", 0.4), True, False),     # Chinese, less sure
    ("text", ("開心從家", 0.5), ("開心麵家", 0.8), True, True),
])
def test_keeps_a_second_reading_only_when_it_is_the_better_one(
        field_type: str, first: tuple[str, float], second: tuple[str, float], passes: bool,
        kept: bool) -> None:
    assert keeps(field_type, first, second, passes) is kept


@pytest.mark.parametrize(("text", "chinese"), [
    ("香港英皇道173號海景閣5座14樓D室", True), ("CHOI Tsz Hin", False), ("", False),
    ("Flat A 陽光花園", False),
])
def test_reads_chinese_counts_cjk_against_latin_letters(text: str, chinese: bool) -> None:
    assert reads_chinese(text) is chinese


def test_crop_value_pads_and_scales_to_about_300_dpi() -> None:
    page = _page_with("x")
    crop = crop_value(page, (100, 100, 200, 140), pt=150 / 72)  # a 150 dpi page image
    assert crop.height == pytest.approx((40 + 10 * 150 / 72) * 2, abs=3)


def test_second_look_fixes_a_date_the_page_pass_misread(sample: Path) -> None:
    path = sample / "health_declaration-001-scan.pdf"
    field = process(path).field("date_signed")
    assert field.value == truth_of(path)["fields"]["date_signed"]
    assert field.problem is None
