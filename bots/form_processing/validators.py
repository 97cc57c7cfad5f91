"""Validators: pure functions from the text read to a normalised value, or FieldInvalid.

One entry per field type in `NORMALISERS`; cross-field rules in `RULES`. Each message is
written for a clerk: it says what is wrong and, where it can, what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from bots.form_processing.errors import FieldInvalid

HKID_RE = re.compile(r"^([A-Z]{1,2})([0-9OQDILSZB|]{6})\(?([0-9A])\)?$")
# letters OCR reads in place of digits; only applied where the HKID must have digits
DIGIT_LOOKALIKES = str.maketrans("OQDILSZB|", "001115281")
EMAIL_RE = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$")
PHONE_RE = re.compile(r"^[2-9]\d{7}$")
CJK_DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
DMY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
TEXT_MONTH_RE = re.compile(r"^(\d{1,2}) ([a-z]{3})[a-z]* (\d{4})$")


def squash(text: str) -> str:
    """NFKC (full-width to half-width), single spaces, no spaces next to CJK characters."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def text(raw: str) -> str:
    return squash(raw)


def name(raw: str) -> str:
    value = squash(re.sub(r"[^\w\s'.-]", "", raw))
    if any(c.isdigit() for c in value):
        raise FieldInvalid(f"a name cannot contain digits ('{value}')")
    return value


def hkid_check_digit(body: str) -> str:
    """The check digit of an HKID body such as `A123456` or `AB987654`."""
    letters, digits = body[:-6], body[-6:]
    values = [36] * (2 - len(letters)) + [ord(c) - 55 for c in letters] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "A" if check == 10 else str(check)


def hkid(raw: str) -> str:
    value = re.sub(r"[\s\[\]{}（）]", lambda m: {"[": "(", "]": ")", "（": "(", "）": ")",
                                                "{": "(", "}": ")"}.get(m.group(), ""),
                   squash(raw).upper())
    match = HKID_RE.match(value) or HKID_RE.match(_letter_for_digit(value))
    if not match:
        raise FieldInvalid(f"'{value}' is not an HKID number like A123456(3)")
    letters, digits, check = match.groups()
    digits = digits.translate(DIGIT_LOOKALIKES)
    expected = hkid_check_digit(letters + digits)
    if check != expected:
        raise FieldInvalid(f"HKID {letters}{digits}({check}) has a wrong check digit "
                           f"(expected {expected}): please check the number")
    return f"{letters}{digits}({check})"


LETTER_LOOKALIKES = {"0": "ODQ", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "Z",
                     "8": "B"}


def _letter_for_digit(value: str) -> str:
    """An HKID whose prefix letter OCR read as a digit (`7510867(6)` for `Z510867(6)`):
    the one look-alike letter whose check digit matches, if exactly one does."""
    match = re.match(r"^(\d)(\d{6})\(?([0-9A])\)?$", value)
    if not match:
        return value
    first, digits, check = match.groups()
    fits = [c for c in LETTER_LOOKALIKES.get(first, "") if hkid_check_digit(c + digits) == check]
    return f"{fits[0]}{digits}({check})" if len(fits) == 1 else value


def date(raw: str) -> str:
    value = squash(raw).lower().replace(",", "")
    for pattern, order in DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            return _make_date(value, *(match.group(i) for i in order))
    raise FieldInvalid(f"'{raw.strip()}' is not a date (use dd/mm/yyyy or 2020年5月11日)")


def _make_date(raw: str, year: str, month: str, day: str) -> str:
    try:
        month_no = int(month) if month.isdigit() else MONTHS[month]
        return dt.date(int(year), month_no, int(day)).isoformat()
    except (KeyError, ValueError) as exc:
        raise FieldInvalid(f"'{raw}' is not a real date ({exc})") from exc


DATE_PATTERNS = [(CJK_DATE_RE, (1, 2, 3)), (DMY_RE, (3, 2, 1)), (ISO_RE, (1, 2, 3)),
                 (TEXT_MONTH_RE, (3, 2, 1))]


def phone(raw: str) -> str:
    value = re.sub(r"[\s()-]", "", squash(raw))
    value = re.sub(r"^(\+?852)(?=\d{8}$)", "", value)
    if not PHONE_RE.match(value):
        raise FieldInvalid(f"'{raw.strip()}' is not a Hong Kong phone number (8 digits)")
    return value


def email(raw: str) -> str:
    value = squash(raw).replace(" ", "").lower()
    if not EMAIL_RE.match(value):
        raise FieldInvalid(f"'{value}' is not an e-mail address")
    return value


def amount(raw: str) -> str:
    numbers = re.findall(r"-?\d[\d,]*(?:\.\d+)?", squash(raw))
    try:
        number = float(numbers[-1].replace(",", ""))
    except (IndexError, ValueError):
        raise FieldInvalid(f"'{raw.strip()}' is not an amount") from None
    if number < 0:
        raise FieldInvalid(f"the amount {number:.2f} is negative")
    return f"{number:.2f}"


NORMALISERS: dict[str, Callable[[str], str]] = {
    "text": text, "name": name, "hkid": hkid, "date": date, "phone": phone, "email": email,
    "amount": amount,
}


JUNK = " \t;:~、，。,'\"|_‘’“”`!*^"


def normalise(field_type: str, raw: str, pattern: str | None = None) -> str:
    """The normalised value of `raw`; an empty string when nothing was written.

    Stray marks at either end (a colon after a label, specks read as `~` or `、`) go first.
    """
    raw = raw.strip(JUNK)
    if not raw:
        return ""
    value = NORMALISERS.get(field_type, text)(raw)
    if pattern and not re.match(pattern, value):
        raise FieldInvalid(f"'{value}' does not have the expected form")
    return value


# Cross-field rules: name -> (check on the normalised values, message)
def _before(a: str, b: str, _: float | None) -> bool:
    return a < b


def _not_after(a: str, b: str, _: float | None) -> bool:
    return a <= b


def _different(a: str, b: str, _: float | None) -> bool:
    return squash(a).lower() != squash(b).lower()


def _min_age(birth: str, on: str, years: float | None) -> bool:
    b, d = dt.date.fromisoformat(birth), dt.date.fromisoformat(on)
    age = d.year - b.year - ((d.month, d.day) < (b.month, b.day))
    return age >= (years or 18)


RULES: dict[str, tuple[Callable[[str, str, float | None], bool], str]] = {
    "before": (_before, "{a} must be before {b}"),
    "not_after": (_not_after, "{a} cannot be after {b}"),
    "different": (_different, "{a} and {b} must differ"),
    "min_age": (_min_age, "the applicant must be at least {value:g} years old on {b}"),
}


def check_rule(rule: str, a: tuple[str, str], b: tuple[str, str], value: float | None) -> None:
    """Raise FieldInvalid when the rule fails; `a` and `b` are (label, normalised value)."""
    check, message = RULES[rule]
    if a[1] and b[1] and not check(a[1], b[1], value):
        raise FieldInvalid(message.format(a=a[0], b=b[0], value=value or 0))
