"""The three sample form types as data: rows of labelled fields, choices, checkboxes.

Labels here are what the templates in bots/form_processing/templates/ look for.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import values as v

Maker = Callable[[random.Random, str, dict], tuple[str, str]]


@dataclass(frozen=True)
class Row:
    kind: str  # field | choice | checkbox | signature | section
    key: str
    en: str
    zh: str
    make: Maker | None = None
    options: tuple[tuple[str, str, str], ...] = ()  # (key, en, zh)
    required: bool = True


@dataclass(frozen=True)
class FormSpec:
    form_type: str
    code: str
    department: tuple[str, str]
    title: tuple[str, str]
    rows: tuple[Row, ...] = field(default=())


def _name(rng, lang, facts):
    text, truth = v.name(rng, lang)
    facts["person"] = text
    return text, truth


def _email(rng, lang, facts):
    return v.email(rng, facts.get("person", "applicant") if lang == "en" else "applicant")


def _arrival(rng, lang, facts):
    text, truth = v.date(rng, lang, 2020, 2023)
    facts["arrival"] = truth
    return text, truth


def _after_arrival(rng, lang, facts):
    return v.date_after(rng, lang, facts["arrival"], rng.randint(0, 3))


def _optional(maker: Maker, share: float = 0.3) -> Maker:
    def make(rng, lang, facts):
        return ("", "") if rng.random() < share else maker(rng, lang, facts)
    return make


PERSON = (
    Row("field", "applicant_name", "Name of Applicant", "申請人姓名", _name),
    Row("field", "hkid", "HKID Card No.", "香港身份證號碼", lambda r, lang, f: v.hkid(r)),
    Row("field", "phone", "Contact Telephone No.", "聯絡電話號碼", lambda r, lang, f: v.phone(r)),
)

LICENCE = FormSpec(
    "licence_application", "FEHD 101",
    ("Food and Environmental Hygiene Department", "食物環境衞生署"),
    ("Application for a Food Business Licence", "食物業牌照申請書"),
    (
        Row("section", "", "Part A  Particulars of Applicant", "甲部  申請人資料"),
        *PERSON,
        Row("field", "date_of_birth", "Date of Birth", "出生日期",
            lambda r, lang, f: v.date(r, lang, 1950, 2002)),
        Row("field", "email", "E-mail Address", "電郵地址", _optional(_email), required=False),
        Row("section", "", "Part B  Particulars of Business", "乙部  業務資料"),
        Row("field", "business_name", "Name of Business", "店舖名稱",
            lambda r, lang, f: v.pick(r, v.BUSINESSES, lang)),
        Row("field", "premises_address", "Address of Premises", "處所地址",
            lambda r, lang, f: v.address(r, lang)),
        Row("choice", "licence_type", "Type of Licence", "牌照類別", options=(
            ("general_restaurant", "General Restaurant", "普通食肆"),
            ("light_refreshment", "Light Refreshment Restaurant", "小食食肆"),
            ("food_factory", "Food Factory", "食物製造廠"))),
        Row("field", "fee", "Fee Paid (HK$)", "已繳費用（港元）",
            lambda r, lang, f: v.amount(r, 100, 900)),
        Row("section", "", "Part C  Declaration", "丙部  聲明"),
        Row("checkbox", "declaration", "I declare that the information given is true.",
            "本人聲明所提供的資料均屬真確。"),
        Row("signature", "signature", "Signature of Applicant", "申請人簽署"),
        Row("field", "date_signed", "Date", "日期", lambda r, lang, f: v.date(r, lang, 2020, 2025)),
    ),
)

HEALTH = FormSpec(
    "health_declaration", "DH 2020",
    ("Department of Health", "衞生署"),
    ("Health Declaration Form", "健康申報表"),
    (
        Row("section", "", "Personal Particulars", "個人資料"),
        *PERSON,
        Row("field", "flight_no", "Flight / Vessel No.", "航班／船班編號",
            lambda r, lang, f: (lambda x: (x, x))(r.choice(v.FLIGHTS))),
        Row("field", "arrival_date", "Date of Arrival", "抵港日期", _arrival),
        Row("field", "places_visited", "Places Visited in Past 14 Days", "過去14天曾到訪地方",
            lambda r, lang, f: v.pick(r, v.COUNTRIES, lang)),
        Row("field", "temperature", "Body Temperature (°C)", "體溫（攝氏）",
            lambda r, lang, f: v.temperature(r)),
        Row("section", "", "Symptoms in Past 14 Days", "過去14天的病徵"),
        Row("checkbox", "fever", "Fever", "發燒", required=False),
        Row("checkbox", "cough", "Cough", "咳嗽", required=False),
        Row("checkbox", "declaration", "I declare that the information given is true.",
            "本人聲明所提供的資料均屬真確。"),
        Row("signature", "signature", "Signature", "簽署"),
        Row("field", "date_signed", "Date", "日期", _after_arrival),
    ),
)

ADDRESS = FormSpec(
    "change_of_address", "ID 91",
    ("Immigration Department", "入境事務處"),
    ("Notification of Change of Address", "更改地址通知書"),
    (
        Row("section", "", "Particulars", "個人資料"),
        *PERSON,
        Row("field", "email", "E-mail Address", "電郵地址", _email),
        Row("field", "old_address", "Previous Address", "舊地址",
            lambda r, lang, f: v.address(r, lang)),
        Row("field", "new_address", "New Address", "新地址", lambda r, lang, f: v.address(r, lang)),
        Row("field", "effective_date", "Effective Date", "生效日期",
            lambda r, lang, f: v.date(r, lang, 2021, 2025)),
        Row("checkbox", "declaration", "I declare that the information given is true.",
            "本人聲明所提供的資料均屬真確。"),
        Row("signature", "signature", "Signature", "簽署"),
        Row("field", "date_signed", "Date", "日期", lambda r, lang, f: v.date(r, lang, 2021, 2025)),
    ),
)

SPECS: dict[str, FormSpec] = {s.form_type: s for s in (LICENCE, HEALTH, ADDRESS)}

LABEL_TEXT = "".join(
    s.department[1] + s.title[1] + "".join(r.zh + "".join(o[2] for o in r.options) for r in s.rows)
    for s in SPECS.values()) + "香港特別行政區政府表格編號第頁共"
