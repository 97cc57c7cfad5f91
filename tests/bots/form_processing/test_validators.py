from __future__ import annotations

import pytest

from bots.form_processing.errors import FieldInvalid
from bots.form_processing.validators import (
    amount,
    check_rule,
    date,
    email,
    hkid,
    hkid_check_digit,
    name,
    normalise,
    phone,
    squash,
)
from rpa.errors import BusinessError


@pytest.mark.parametrize(("body", "digit"), [("A123456", "3"), ("G123456", "A"), ("AB987654", "3"),
                                             ("C668668", "9"), ("Z683365", "A")])
def test_hkid_check_digit_matches_the_published_algorithm(body: str, digit: str) -> None:
    assert hkid_check_digit(body) == digit


@pytest.mark.parametrize(("raw", "value"), [
    ("A123456(3)", "A123456(3)"), ("a123456 (3)", "A123456(3)"), ("A1234563", "A123456(3)"),
    ("R920575[5]", "R920575(5)"), ("AB987654(3)", "AB987654(3)"), ("AI23456(3)", "A123456(3)"),
    ("7510867(6)", "Z510867(6)"),
    ("Ａ１２３４５６（３）", "A123456(3)"),
])
def test_hkid_normalises_accepted_forms(raw: str, value: str) -> None:
    assert hkid(raw) == value


@pytest.mark.parametrize(("raw", "reason"), [
    ("A123456(4)", "wrong check digit (expected 3)"), ("A12345(3)", "not an HKID number"),
    ("123456(3)", "not an HKID number"),
])
def test_hkid_rejects_with_a_clerk_reason(raw: str, reason: str) -> None:
    with pytest.raises(FieldInvalid, match=reason.replace("(", r"\(").replace(")", r"\)")):
        hkid(raw)


@pytest.mark.parametrize(("raw", "iso"), [
    ("2020年5月11日", "2020-05-11"), ("11/05/2020", "2020-05-11"), ("1/5/2020", "2020-05-01"),
    ("11-05-2020", "2020-05-11"), ("2020-05-11", "2020-05-11"), ("11 May 2020", "2020-05-11"),
    ("２０２０年５月１１日", "2020-05-11"), ("2020 年 5 月 11 日", "2020-05-11"),
])
def test_date_accepts_hong_kong_formats(raw: str, iso: str) -> None:
    assert date(raw) == iso


@pytest.mark.parametrize(("raw", "reason"), [("31/02/2020", "not a real date"),
                                             ("2020年13月1日", "not a real date"),
                                             ("next Tuesday", "not a date")])
def test_date_rejects_impossible_dates(raw: str, reason: str) -> None:
    with pytest.raises(FieldInvalid, match=reason):
        date(raw)


@pytest.mark.parametrize(("raw", "value"), [
    ("9123 4567", "91234567"), ("+852 5748 3378", "57483378"), ("2345-6789", "23456789"),
    ("(852) 61234567", "61234567"),
])
def test_phone_accepts_hong_kong_numbers(raw: str, value: str) -> None:
    assert phone(raw) == value


@pytest.mark.parametrize("raw", ["1234 5678", "912345", "9123 45678", "phone"])
def test_phone_rejects_other_numbers(raw: str) -> None:
    with pytest.raises(FieldInvalid, match="not a Hong Kong phone number"):
        phone(raw)


@pytest.mark.parametrize(("raw", "ok"), [("Chan.TM@Gmail.com", "chan.tm@gmail.com"),
                                         ("a b@netvigator.com", "ab@netvigator.com")])
def test_email_normalises(raw: str, ok: str) -> None:
    assert email(raw) == ok


@pytest.mark.parametrize("raw", ["chan.gmail.com", "chan@", "@gmail.com", "chan@gmail.com7"])
def test_email_rejects_non_addresses(raw: str) -> None:
    with pytest.raises(FieldInvalid, match="not an e-mail"):
        email(raw)


@pytest.mark.parametrize(("raw", "value"), [("HK$5,120", "5120.00"), ("5,120.00", "5120.00"),
                                            ("(港元) 4,860", "4860.00"), ("36.8", "36.80")])
def test_amount_takes_the_number(raw: str, value: str) -> None:
    assert amount(raw) == value


def test_name_rejects_digits() -> None:
    with pytest.raises(FieldInvalid, match="cannot contain digits"):
        name("CHAN 7ai Man")


@pytest.mark.parametrize(("raw", "value"), [
    ("陳 大 文", "陳大文"), ("新 界 青山 公路 161 號", "新界青山公路161號"),
    ("Flat A,  2/F", "Flat A, 2/F"),
])
def test_squash_joins_cjk_and_keeps_latin_spaces(raw: str, value: str) -> None:
    assert squash(raw) == value


@pytest.mark.parametrize(("kind", "raw", "value"), [
    ("hkid", "; : A123456(3)", "A123456(3)"), ("date", "、1990年8月24日", "1990-08-24"),
    ("text", "  ", ""), ("email", "~ a@b.com", "a@b.com"),
])
def test_normalise_strips_stray_marks_first(kind: str, raw: str, value: str) -> None:
    assert normalise(kind, raw) == value


def test_normalise_applies_template_regex() -> None:
    with pytest.raises(FieldInvalid, match="expected form"):
        normalise("text", "flight", r"^[A-Z0-9]{2} ?\d{2,4}$")


@pytest.mark.parametrize(("rule", "a", "b", "value", "fails"), [
    ("before", "1980-01-01", "2020-01-01", None, False),
    ("before", "2020-01-01", "1980-01-01", None, True),
    ("not_after", "2020-01-01", "2020-01-01", None, False),
    ("different", "Flat A", "flat  a", None, True),
    ("min_age", "2005-06-01", "2020-05-31", 18, True),
    ("min_age", "2000-06-01", "2020-06-01", 18, False),
])
def test_check_rule_cross_field(rule: str, a: str, b: str, value: float | None,
                                fails: bool) -> None:
    call = lambda: check_rule(rule, ("A", a), ("B", b), value)  # noqa: E731
    if fails:
        with pytest.raises(FieldInvalid):
            call()
    else:
        call()


def test_field_invalid_is_a_business_error() -> None:
    assert issubclass(FieldInvalid, BusinessError)
