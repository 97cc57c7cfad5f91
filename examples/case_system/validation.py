"""Server-side checks for the new-licence-application form: strings in, values or errors out.

Each field has one validator in `VALIDATORS`; a validator returns the cleaned value or raises
`FieldProblem` with a bilingual message a clerk can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime

LICENCE_TYPES = {
    "general_restaurant": "General restaurant 普通食肆",
    "light_refreshment": "Light refreshment restaurant 小食食肆",
    "food_factory": "Food factory 食物製造廠",
    "liquor": "Liquor licence 酒牌",
}

_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]{2,39}")
_HKID = re.compile(r"([A-Z]{1,2})(\d{6})\(?([0-9A])\)?")
_PHONE = re.compile(r"(?:\+?852)?([2-9]\d{7})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


class FieldProblem(ValueError):
    """A field's value is not acceptable; the message is shown next to the field."""


def form_ref(raw: str) -> str:
    value = raw.strip()
    if not _REF.fullmatch(value):
        raise FieldProblem("Enter the form reference printed on the form (3-40 letters, digits, "
                           "- / _) 請輸入表格上的編號")
    return value


def licence_type(raw: str) -> str:
    if raw not in LICENCE_TYPES:
        raise FieldProblem("Choose a licence type 請選擇牌照類別")
    return raw


def name(raw: str) -> str:
    value = " ".join(raw.split())
    if not 2 <= len(value) <= 100:
        raise FieldProblem("Enter a name of 2-100 characters 請輸入2至100個字元的名稱")
    return value


def hkid(raw: str) -> str:
    compact = re.sub(r"\s", "", raw).upper()
    match = _HKID.fullmatch(compact)
    if not match or hkid_check_digit(match[1] + match[2]) != match[3]:
        raise FieldProblem("Enter a valid HKID number, e.g. A123456(3) 請輸入有效的香港身份證號碼")
    return f"{match[1]}{match[2]}({match[3]})"


def hkid_check_digit(body: str) -> str:
    """The check digit of an HKID body such as `A123456`: weights 9..2, modulo 11."""
    letters, digits = body[:-6].rjust(2), body[-6:]
    values = [36 if c == " " else ord(c) - 55 for c in letters] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "A" if check == 10 else str(check)


def date_of_birth(raw: str, today: date | None = None) -> str:
    born = _parse_date(raw)
    today = today or date.today()
    if born is None or not date(1900, 1, 1) <= born <= today:
        raise FieldProblem("Enter the date of birth as dd/mm/yyyy 請以日/月/年格式輸入出生日期")
    if (today.year - born.year - ((today.month, today.day) < (born.month, born.day))) < 18:
        raise FieldProblem("The applicant must be 18 or over 申請人須年滿18歲")
    return born.isoformat()


def phone(raw: str) -> str:
    match = _PHONE.fullmatch(re.sub(r"[\s()-]", "", raw))
    if not match:
        raise FieldProblem("Enter an 8-digit Hong Kong phone number 請輸入8位數字的香港電話號碼")
    return match[1]


def email(raw: str) -> str:
    value = raw.strip()
    if value and not _EMAIL.fullmatch(value):
        raise FieldProblem("Enter an e-mail address such as name@example.com 請輸入有效的電郵地址")
    return value


def address(raw: str) -> str:
    value = " ".join(raw.split())
    if not 5 <= len(value) <= 300:
        raise FieldProblem("Enter the full address 請輸入完整地址")
    return value


def declaration(raw: str) -> str:
    if raw != "yes":
        raise FieldProblem("The applicant must sign the declaration 申請人須簽署聲明")
    return raw


def _parse_date(raw: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


VALIDATORS: dict[str, Callable[[str], str]] = {
    "form_ref": form_ref,
    "licence_type": licence_type,
    "applicant_name": name,
    "hkid": hkid,
    "date_of_birth": date_of_birth,
    "phone": phone,
    "email": email,
    "business_name": name,
    "premises_address": address,
    "declaration": declaration,
}


def validate(form: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(clean values, errors by field) for a submitted form; errors is empty when it is fine."""
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field, check in VALIDATORS.items():
        try:
            clean[field] = check(form.get(field, ""))
        except FieldProblem as problem:
            errors[field] = str(problem)
    return clean, errors
