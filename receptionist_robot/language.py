"""Which of the robot's languages a visitor's text is in: pure, table-driven, no downloads.

Latin text is English; Chinese is Traditional (Cantonese, zh-HK) or Simplified (Mandarin,
zh-CN) by the characters that differ between the scripts and by Cantonese-only particles.
Text that cannot tell (digits, a name, `/intent` payloads) keeps the current language.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "zh-HK", "zh-CN")
_TRADITIONAL = set("們個這來時會對說請廁間開關機進導覽嗎係唔咗嘅喺佢冇乜嘢啲嚟睇講邊點樣麼還過繼續訂話語國電見謝區場陣")
_SIMPLIFIED = set("们个这来时会对说请厕间开关机进导览吗过继续订话语国电见谢区场么还边点样讲阵")
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002a6df]")
_WORD = re.compile(r"[A-Za-z]{3,}")
_LOANS = {"wifi", "poc", "bim", "gis", "okay"}  # said in Chinese too


def detect(text: str, current: str = "en") -> str:
    if text.startswith("/"):
        return current
    if _CJK.search(text):
        return _chinese(text, current)
    english = any(w.lower() not in _LOANS for w in _WORD.findall(text))
    return "en" if english else current


def _chinese(text: str, current: str) -> str:
    chars = set(text)
    trad, simp = len(chars & _TRADITIONAL), len(chars & _SIMPLIFIED)
    if trad > simp:
        return "zh-HK"
    if simp > trad:
        return "zh-CN"
    return current if current != "en" else "zh-HK"
