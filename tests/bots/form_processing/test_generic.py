from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bots.form_processing import process
from bots.form_processing.generic import _label_like
from rpa.documents import Word
from tests.bots.form_processing.conftest import truth_of


def _pairs(path: Path) -> dict[str, str]:
    return {f.key.replace(" ", "").lower(): f.value for f in process(path, generic=True).fields}


def test_generic_pairs_labels_beside_values_on_a_digital_form(sample: Path) -> None:
    path = sample / "licence_application-002-digital.pdf"
    pairs, truth = _pairs(path), truth_of(path)["fields"]
    assert pairs["hkidcardno.香港身份證號碼"] == truth["hkid"]
    assert pairs["nameofbusiness店舖名稱"] == truth["business_name"]


def test_generic_pairs_labels_above_values(sample: Path) -> None:
    path = sample / "change_of_address-000-digital.pdf"
    pairs, truth = _pairs(path), truth_of(path)["fields"]
    assert pairs["hkidcardno.香港身份證號碼"] == truth["hkid"]
    assert pairs["nameofapplicant申請人姓名"] == truth["applicant_name"]


def test_generic_finds_sensible_pairs_on_an_unseen_scan(unseen_scan: Callable[[str], Path]) -> None:
    path = unseen_scan("licence_application")
    truth = truth_of(path)["fields"]
    result = process(path, generic=True)
    values = [f.value.replace(" ", "") for f in result.fields]
    assert result.form_type == "unknown" and len(result.fields) >= 8
    assert truth["hkid"] in values or truth["email"] in values
    assert any("applicant" in f.key.lower() for f in result.fields)
    assert all(f.status() == "review" for f in result.fields)  # nothing vouches for a guess


def _line(*words: tuple[str, float]) -> list[Word]:
    return [Word(text, (10.0 * n, 0.0, 10.0 * n + 8, 10.0), conf, "ocr")
            for n, (text, conf) in enumerate(words)]


@pytest.mark.parametrize(("words", "label"), [
    # the Chinese half of a bilingual label, read as junk by the English-only pass
    (_line(("HKID", 0.92), ("Card", 0.96), ("No.", 0.87), ("27S", 0.28), ("S805", 0.06)), True),
    (_line(("E-mail", 0.96), ("Address", 0.93), ("MS8hit", 0.0)), True),
    (_line(("Flat", 0.95), ("12B", 0.95)), False),            # digits read surely: a value
    (_line(("27S", 0.28), ("S805", 0.06)), False),             # nothing sure: judged as read
])
def test_generic_label_like_judges_a_label_by_its_surely_read_words(
        words: list[Word], label: bool) -> None:
    assert _label_like(words) is label
