from __future__ import annotations

import pytest

from receptionist_robot.language import detect


@pytest.mark.parametrize(("text", "current", "expected"), [
    ("hello there", "zh-HK", "en"),
    ("開始導賞", "en", "zh-HK"),
    ("等陣先", "zh-CN", "zh-HK"),
    ("开始导览", "en", "zh-CN"),
    ("跳过这个", "zh-HK", "zh-CN"),
    ("陳大文", "zh-CN", "zh-CN"),      # a name says nothing about the script: keep
    ("陳大文", "en", "zh-HK"),         # Chinese with no clue defaults to Cantonese
    ("91234567", "zh-HK", "zh-HK"),
    ("/affirm", "zh-CN", "zh-CN"),
    ("ok", "zh-HK", "zh-HK"),          # a single short word keeps the conversation's language
])
def test_detect_language_of_visitor_text(text: str, current: str, expected: str) -> None:
    assert detect(text, current) == expected
