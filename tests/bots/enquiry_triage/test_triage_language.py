import pytest

from bots.enquiry_triage.language import detect


@pytest.mark.parametrize(("text", "language"), [
    ("The street light is broken", "en"),
    ("街燈壞咗兩個禮拜", "zh"),
    ("我部車想renew車牌", "zh"),
    ("Help for my mother 阿媽需要照顧", "zh"),
    ("Please fix the street light near 旺角 station soon", "en"),
    ("", "en"),
    ("12345 !!!", "en"),
])
def test_detect_tells_english_from_chinese(text, language):
    assert detect(text) == language
