"""The case system's server-side checks, table-driven on plain strings."""

from __future__ import annotations

from datetime import date

import pytest

from examples.case_system.validation import (
    FieldProblem,
    date_of_birth,
    hkid,
    hkid_check_digit,
    phone,
    validate,
)

GOOD_FORM = {
    "form_ref": "LA-2026-0001", "licence_type": "liquor", "applicant_name": "Chan Tai Man",
    "hkid": "A123456(3)", "date_of_birth": "11/05/1980", "phone": "9123 4567", "email": "",
    "business_name": "Tai Man Bar", "premises_address": "1 Queen's Road Central",
    "declaration": "yes",
}


@pytest.mark.parametrize(("body", "digit"), [("A123456", "3"), ("AB987654", "3"),
                                              ("G123456", "A"), ("C668668", "9")])
def test_hkid_check_digit_matches_published_examples(body: str, digit: str) -> None:
    assert hkid_check_digit(body) == digit


@pytest.mark.parametrize(("raw", "clean"), [
    ("A123456(3)", "A123456(3)"), ("a1234563", "A123456(3)"), (" G 123456 (A) ", "G123456(A)")])
def test_hkid_accepts_common_spellings(raw: str, clean: str) -> None:
    assert hkid(raw) == clean


@pytest.mark.parametrize("raw", ["A123456(4)", "123456(3)", "A12345(3)", ""])
def test_hkid_rejects_wrong_check_digit_or_shape(raw: str) -> None:
    with pytest.raises(FieldProblem, match="HKID"):
        hkid(raw)


@pytest.mark.parametrize(("raw", "clean"), [
    ("9123 4567", "91234567"), ("+852 2123-4567", "21234567"), ("(852) 61234567", "61234567")])
def test_phone_accepts_hong_kong_numbers(raw: str, clean: str) -> None:
    assert phone(raw) == clean


@pytest.mark.parametrize("raw", ["1234 5678", "9123456", "912345678", "phone"])
def test_phone_rejects_non_hong_kong_numbers(raw: str) -> None:
    with pytest.raises(FieldProblem, match="8-digit"):
        phone(raw)


@pytest.mark.parametrize(("raw", "message"), [
    ("31/02/1980", "dd/mm/yyyy"), ("1980/05/11", "dd/mm/yyyy"), ("11/05/2015", "18 or over")])
def test_date_of_birth_rejects_impossible_or_underage(raw: str, message: str) -> None:
    with pytest.raises(FieldProblem, match=message):
        date_of_birth(raw, today=date(2026, 1, 1))


def test_validate_accepts_a_complete_form_and_cleans_it() -> None:
    clean, errors = validate(GOOD_FORM)
    assert errors == {}
    assert (clean["date_of_birth"], clean["phone"]) == ("1980-05-11", "91234567")


def test_validate_reports_every_bad_field_bilingually() -> None:
    bad = {"hkid": "A123456(4)", "declaration": "", "licence_type": "pet"}
    _, errors = validate({**GOOD_FORM, **bad})
    assert sorted(errors) == ["declaration", "hkid", "licence_type"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in errors.values())
