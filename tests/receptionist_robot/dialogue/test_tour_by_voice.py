"""A tour started, paused, resumed and stopped by voice, against the simulator on a real pty."""

from __future__ import annotations

from collections.abc import Callable

from receptionist_robot.dialogue import Dialogue
from tests.receptionist_robot.dialogue.conftest import moving, state_of, texts
from tests.support.waiting import eventually


def test_tour_by_voice_pauses_resumes_and_ends_in_cantonese(make_dialogue: Callable[..., Dialogue]) -> None:
    dialogue = make_dialogue(robot=True)
    guide = dialogue.guide
    assert guide is not None
    session = dialogue.open_session("zh-HK")
    dialogue.say(session.id, "開始導賞")
    eventually(lambda: moving(guide))
    dialogue.say(session.id, "等等")
    eventually(lambda: state_of(guide) == "paused")
    dialogue.say(session.id, "繼續")
    eventually(lambda: state_of(guide) not in ("paused", None))
    eventually(lambda: any(t.startswith("我哋到咗") for t in texts(dialogue, session.id)), timeout=120)
    dialogue.say(session.id, "停止導賞")
    guide.wait(180)
    assert guide.summary is not None and guide.summary["status"] == "completed"
    eventually(lambda: "導賞完滿結束，多謝你參觀實驗室！" in texts(dialogue, session.id))


def test_go_to_exhibit_by_voice_in_english(make_dialogue: Callable[..., Dialogue]) -> None:
    dialogue = make_dialogue(robot=True, dwell_scale=0.5)
    guide = dialogue.guide
    assert guide is not None
    session = dialogue.open_session("en")
    dialogue.say(session.id, "start the tour")
    eventually(lambda: moving(guide))
    dialogue.say(session.id, "take me to the VR demo")
    eventually(lambda: "Here we are: Virtual Reality and BIM city model." in texts(dialogue, session.id), timeout=120)
    skipped = [s["location"] for s in guide.controller.progress.stops if s["status"] == "skipped"]
    assert "virtual_reality" not in skipped
    dialogue.say(session.id, "stop the tour")
    guide.wait(180)
    assert guide.summary["status"] == "completed"
