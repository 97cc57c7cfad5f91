"""Random but plausible Hong Kong values: names, HKID numbers, phones, addresses, dates.

Each maker returns (printed text, ground-truth value): the truth is what a correct extractor
outputs after normalisation (ISO dates, HKID as `A123456(3)`, 8-digit phones, amounts `1234.50`).
"""

from __future__ import annotations

import datetime as dt
import random

SURNAMES = [("CHAN", "陳"), ("LEE", "李"), ("CHEUNG", "張"), ("WONG", "黃"), ("HO", "何"),
            ("LAM", "林"), ("NG", "吳"), ("LAU", "劉"), ("CHOI", "蔡"), ("LEUNG", "梁")]
GIVEN = [("Tai Man", "大文"), ("Mei Ling", "美玲"), ("Chi Ming", "志明"), ("Ka Yan", "嘉欣"),
         ("Wai Keung", "偉強"), ("Ka Ho", "家豪"), ("Wing Sze", "詠詩"), ("Chun Kit", "俊傑"),
         ("Suk Yee", "淑儀"), ("Tsz Hin", "子軒")]
STREETS = [("Nathan Road", "彌敦道", "Kowloon", "九龍"),
           ("Hennessy Road", "軒尼詩道", "Hong Kong", "香港"),
           ("Castle Peak Road", "青山公路", "New Territories", "新界"),
           ("King's Road", "英皇道", "Hong Kong", "香港"),
           ("Sha Tin Centre Street", "沙田正街", "New Territories", "新界")]
ESTATES = [("Sunshine Garden", "陽光花園"), ("Harbour View Court", "海景閣"),
           ("Golden Mansion", "金都大廈"), ("Lok Fu Estate", "樂富邨")]
BUSINESSES = [("Happy Noodle Shop", "開心麵家"), ("Golden Bakery", "金麥餅店"),
              ("Harbour Cafe", "海港咖啡室"), ("Lucky Dim Sum House", "好運點心樓")]
COUNTRIES = [("Japan", "日本"), ("Singapore", "新加坡"), ("Taiwan", "台灣"), ("Thailand", "泰國"),
             ("United Kingdom", "英國")]
FLIGHTS = ["CX 251", "UO 843", "HX 612", "CX 510", "KA 902"]
DOMAINS = ["gmail.com", "yahoo.com.hk", "netvigator.com", "outlook.com"]

# every Chinese character the forms may print, for the font subset
CJK_TEXT = "".join(s for table in (SURNAMES, GIVEN, STREETS, ESTATES, BUSINESSES, COUNTRIES)
                   for row in table for s in row) + "年月日號室樓座（）：，、"


def hkid(rng: random.Random) -> tuple[str, str]:
    letter = rng.choice("ACDEGHKMPRVYZ")
    digits = "".join(rng.choice("0123456789") for _ in range(6))
    value = f"{letter}{digits}({hkid_check_digit(letter + digits)})"
    return value, value


def hkid_check_digit(body: str) -> str:
    """The check digit of an HKID body such as `A123456` or `AB987654`."""
    letters, digits = body[:-6], body[-6:]
    values = [36] * (2 - len(letters)) + [ord(c) - 55 for c in letters] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "A" if check == 10 else str(check)


def name(rng: random.Random, lang: str) -> tuple[str, str]:
    (sur_en, sur_zh), (giv_en, giv_zh) = rng.choice(SURNAMES), rng.choice(GIVEN)
    text = f"{sur_en} {giv_en}" if lang == "en" else f"{sur_zh}{giv_zh}"
    return text, text


def phone(rng: random.Random) -> tuple[str, str]:
    digits = rng.choice("5679") + "".join(rng.choice("0123456789") for _ in range(7))
    printed = rng.choice([f"{digits[:4]} {digits[4:]}", digits, f"+852 {digits[:4]} {digits[4:]}"])
    return printed, digits


def email(rng: random.Random, person: str) -> tuple[str, str]:
    user = "".join(c for c in person.lower() if c.isascii() and c.isalpha())[:10] or "applicant"
    value = f"{user}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"
    return value, value


def date(rng: random.Random, lang: str, start: int, end: int) -> tuple[str, str]:
    day = dt.date(start, 1, 1) + dt.timedelta(days=rng.randint(0, (end - start) * 365))
    text = f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.strftime("%d/%m/%Y")
    return text, day.isoformat()


def date_after(rng: random.Random, lang: str, iso: str, days: int) -> tuple[str, str]:
    day = dt.date.fromisoformat(iso) + dt.timedelta(days=days)
    text = f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.strftime("%d/%m/%Y")
    return text, day.isoformat()


def address(rng: random.Random, lang: str) -> tuple[str, str]:
    street_en, street_zh, area_en, area_zh = rng.choice(STREETS)
    estate_en, estate_zh = rng.choice(ESTATES)
    number, floor = rng.randint(1, 388), rng.randint(1, 40)
    flat, block = rng.choice("ABCDEF"), rng.randint(1, 6)
    if lang == "zh":
        text = f"{area_zh}{street_zh}{number}號{estate_zh}{block}座{floor}樓{flat}室"
    else:
        text = (f"Flat {flat}, {floor}/F, Block {block}, {estate_en}, "
                f"{number} {street_en}, {area_en}")
    return text, text


def pick(rng: random.Random, pairs: list[tuple[str, str]], lang: str) -> tuple[str, str]:
    en, zh = rng.choice(pairs)
    text = en if lang == "en" else zh
    return text, text


def amount(rng: random.Random, low: int, high: int) -> tuple[str, str]:
    value = rng.randint(low, high) * 10
    printed = rng.choice([f"{value:,}", f"{value:,}.00", f"HK${value:,}"])
    return printed, f"{value:.2f}"


def temperature(rng: random.Random) -> tuple[str, str]:
    value = round(rng.uniform(35.8, 37.4), 1)
    return f"{value}", f"{value:.2f}"
