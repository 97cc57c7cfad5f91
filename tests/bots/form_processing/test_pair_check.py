from __future__ import annotations

import pytest

from bots.form_processing.pair_check import confidence
from bots.form_processing.result import DEFAULT_THRESHOLD
from rpa.documents import Word


def _words(*pairs: tuple[str, float]) -> list[Word]:
    return [Word(text, (0, 0, 10, 10), conf, "ocr") for text, conf in pairs]


# pairs the benchmark's pairing model was sure of (p >= 0.9), as Tesseract read them
@pytest.mark.parametrize(("label", "value"), [
    (_words(("Passport", 0.96), ("No.", 0.93)), _words(("€33894071", 0.51))),  # E3394071
    (_words(("Mobile", 0.96)), _words(("JO36", 0.95), ("5108", 0.95))),  # 7036 5108
    (_words(("Date", 0.96)), _words(("IS", 0.71), ("MAR", 0.9), ("1996", 0.94))),  # 15 Mar
    (_words(("Remarks", 0.96), ("fiat", 0.74)), _words(("Urgent", 0.95))),  # 備註 read as junk
])
def test_pair_check_sends_a_sure_pair_of_misread_words_to_review(label: list[Word],
                                                                 value: list[Word]) -> None:
    assert confidence(0.97, label, value) < DEFAULT_THRESHOLD


@pytest.mark.parametrize(("label", "value"), [
    (_words(("Passport", 0.96), ("No.", 0.93), ("護照號碼", 0.6)), _words(("E3394071", 0.93))),
    (_words(("Reference", 0.96)), _words(("HK/2023/69514", 0.92))),
    (_words(("Quantity", 0.85)), _words(("23", 0.94))),
])
def test_pair_check_keeps_a_sure_pair_of_well_read_words(label: list[Word],
                                                         value: list[Word]) -> None:
    assert confidence(0.97, label, value) >= DEFAULT_THRESHOLD


def test_pair_check_caps_by_the_weakest_word_with_half_its_doubt() -> None:
    label, value = _words(("Name", 0.96)), _words(("CHAN", 0.9), ("Tai", 0.7))
    assert confidence(0.99, label, value) == pytest.approx(0.85)
    assert confidence(0.6, label, value) == pytest.approx(0.6)
