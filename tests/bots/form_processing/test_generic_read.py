from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from bots.form_processing import generic_read
from bots.form_processing.generic_read import PROBES, _chinese_words, _probe_indexes, _readings
from rpa.documents import Word

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
needs_noto = pytest.mark.skipif(not NOTO.exists(),
                                reason="Noto Sans CJK (fonts-noto-cjk) is not installed")


def _crop(text: str) -> Image.Image:
    font = ImageFont.truetype(str(NOTO), 40, index=4)
    image = Image.new("L", (60 + 48 * len(text), 80), 255)
    ImageDraw.Draw(image).text((20, 12), text, fill=0, font=font)
    return image


def _text(words: list[Word]) -> str:
    return "".join(w.text for w in words)


def test_probe_indexes_spread_from_the_first_crop_to_the_last() -> None:
    assert _probe_indexes(5) == [0, 1, 2, 3, 4]
    spread = _probe_indexes(40)
    assert len(spread) == PROBES and spread[0] == 0 and spread[-1] == 39
    assert all(b - a >= 5 for a, b in zip(spread, spread[1:], strict=False))


@pytest.mark.parametrize(("text", "chinese"), [
    ("姓名", True), ("客戶登記表", True), ("之", False), ("一一一一", False), ("一之", False),
    ("Monthly", False), ("", False)])
def test_chinese_words_need_two_different_characters_besides_a_rule(text: str,
                                                                     chinese: bool) -> None:
    words = [Word(text, (0, 0, 10, 10), 0.9, "ocr")] if text else []
    assert _chinese_words(words) is chinese


def _crops(chinese_probe: bool) -> tuple[list[Image.Image], set[int]]:
    """Twelve crops: English at the probes, Chinese between them (and at the first probe
    too when `chinese_probe`)."""
    probes = set(_probe_indexes(12))
    texts = ["Monthly" if i in probes else "電話號碼" for i in range(12)]
    if chinese_probe:
        texts[0] = "客戶登記表"
    return [_crop(t) for t in texts], probes


@needs_noto
def test_readings_skip_a_page_whose_probes_read_no_chinese() -> None:
    crops, probes = _crops(chinese_probe=False)
    found = _readings(crops)
    assert all(_text(found[i]) for i in probes)
    assert not any(found[i] for i in range(12) if i not in probes)


@needs_noto
def test_readings_read_every_crop_once_a_probe_reads_chinese() -> None:
    crops, probes = _crops(chinese_probe=True)
    found = _readings(crops)
    assert _text(found[0]) == "客戶登記表"
    assert all(_text(found[i]) == "電話號碼" for i in range(12) if i not in probes)


def test_readings_of_no_crops_are_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generic_read, "recognise_many", _never)
    assert _readings([]) == []


def _never(*_args: object, **_kwargs: object) -> list:
    raise AssertionError("Tesseract was called for no crops")
