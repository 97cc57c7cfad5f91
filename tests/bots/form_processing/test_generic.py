from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bots.form_processing import process
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
