"""Conversations through the bridge against the real Rasa server, in all three languages."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from receptionist_robot.controller import TourEvent
from receptionist_robot.dialogue import Dialogue
from tests.receptionist_robot.dialogue.conftest import texts
from tests.support.waiting import eventually

HAN = re.compile(r"[\u4e00-\u9fff]")
# per language: what the visitor says, and a word each reply must contain
CONVERSATIONS = {
    "en": [("hello", "Welcome"), ("start the tour", "tour"), ("what is the city dashboard", "open data"),
           ("wait", "wait"), ("continue", "continue")],
    "zh-HK": [("你好", "歡迎"), ("開始導賞", "導賞"), ("城市儀表板係咩", "開放數據"), ("等等", "等"), ("繼續", "繼續")],
    "zh-CN": [("你们好", "欢迎"), ("开始导览", "导览"), ("城市仪表板是什么", "开放数据"), ("等一下", "等"),
              ("继续", "继续")],
}


@pytest.mark.parametrize("lang", sorted(CONVERSATIONS))
def test_conversation_replies_in_visitors_language(make_dialogue: Callable[..., Dialogue], lang: str) -> None:
    dialogue = make_dialogue(robot=False)
    session = dialogue.open_session("en")
    for text, word in CONVERSATIONS[lang]:
        [first, *_] = dialogue.say(session.id, text)
        assert word.lower() in first.text.lower(), (text, first.text)
        assert bool(HAN.search(first.text)) == (lang != "en")
    actions = [a["action"] for a in session.actions]
    assert actions == ["start_tour", "pause", "resume"]


def test_checkin_with_correction_is_stored_and_host_told(make_dialogue: Callable[..., Dialogue], smtp) -> None:  # type: ignore[no-untyped-def]
    dialogue = make_dialogue(robot=False)
    session = dialogue.open_session("zh-HK")
    for text in ["我想登記", "陳大文", "數碼港公司", "李小姐", "9123 4567"]:
        dialogue.say(session.id, text)
    assert "數碼港公司" in texts(dialogue, session.id)[-1]
    dialogue.say(session.id, "唔啱")
    [fix, ask] = dialogue.say(session.id, '/checkin_fix{"fix_field":"organisation"}')
    assert "機構" in ask.text
    [summary] = dialogue.say(session.id, "創新科技署")
    assert "創新科技署" in summary.text and "陳大文" in summary.text
    done = dialogue.say(session.id, "係")
    assert "登記完成" in done[0].text
    [visit] = dialogue.checkins.all()
    assert (visit.name, visit.organisation, visit.host, visit.phone, visit.lang) == (
        "陳大文", "創新科技署", "李小姐", "91234567", "zh-HK")
    [body] = smtp[1].bodies()
    assert "陳大文" in body and "李小姐" in body


def test_fallback_asks_to_rephrase_then_hands_over(make_dialogue: Callable[..., Dialogue]) -> None:
    dialogue = make_dialogue(robot=False)
    session = dialogue.open_session("en")
    first = dialogue.say(session.id, "blorp fnarg wibble")[0].text
    second = dialogue.say(session.id, "qwerty zxcv plonk")[0].text
    assert "another way" in first and "staff" in second


def test_switch_language_is_followed_by_the_bridge(make_dialogue: Callable[..., Dialogue]) -> None:
    dialogue = make_dialogue(robot=False)
    session = dialogue.open_session("zh-HK")
    [reply] = dialogue.say(session.id, "講普通話")
    assert "普通话" in reply.text and session.lang == "zh-CN"


EVENTS = [
    ("en", TourEvent("obstacle", "navigating", {"distance": 0.5}), "in my way"),
    ("zh-HK", TourEvent("low_battery", "presenting", {"battery": 20}), "充電"),
    ("zh-CN", TourEvent("finished", "docked", {"summary": {}}), "导览圆满结束"),
    ("zh-CN", TourEvent("presentation", "presenting", {"location": "gis", "texts": {"zh-CN": "地理空间信息系统把"}}),
     "我们到了地理空间信息系统"),
]


@pytest.mark.parametrize(("lang", "event", "expected"), EVENTS, ids=[e[1].kind for e in EVENTS])
def test_controller_event_becomes_utterance_in_visitors_language(
        make_dialogue: Callable[..., Dialogue], lang: str, event: TourEvent, expected: str) -> None:
    dialogue = make_dialogue(robot=True)
    session = dialogue.open_session(lang)
    dialogue._tour_event(session.id, event)
    eventually(lambda: any(expected in t for t in texts(dialogue, session.id)), timeout=30)
