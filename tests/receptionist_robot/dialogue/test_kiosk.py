"""The kiosk page in real Chromium: a Cantonese visitor checks in, tours, asks, waits, continues."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from receptionist_robot.dialogue import Dialogue
from tests.receptionist_robot.dialogue.conftest import moving, open_kiosk, state_of
from tests.support.axe import violations
from tests.support.waiting import eventually


@pytest.fixture
def kiosk(make_dialogue: Callable[..., Dialogue], serve_kiosk: Callable[[Dialogue], str]) -> tuple[str, Dialogue]:
    dialogue = make_dialogue(robot=True)
    return serve_kiosk(dialogue), dialogue




def say(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.click("form#ask button[type=submit]")


def test_kiosk_visit_in_cantonese(kiosk: tuple[str, Dialogue], page: Page) -> None:
    url, dialogue = kiosk
    open_kiosk(page, url, "zh-HK")
    expect(page.locator("#stop")).to_have_text("停止")
    say(page, "我想登記")
    expect(page.locator(".robot").last).to_contain_text("請問你叫咩名")
    for text in ["陳大文", "數碼港公司", "李小姐", "跳過"]:
        say(page, text)
    expect(page.locator(".robot").last).to_contain_text("啱唔啱")
    page.get_by_role("button", name="啱", exact=True).click()       # a quick reply, by touch
    expect(page.locator(".robot", has_text="登記完成")).to_have_count(1)
    page.get_by_role("button", name="好呀", exact=True).click()     # the offered tour
    expect(page.locator("#stops li")).to_have_count(7)
    guide = dialogue.guide
    eventually(lambda: moving(guide))
    say(page, "城市儀表板係咩")
    expect(page.locator(".robot", has_text="開放數據").first).to_be_visible()
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core), mid-tour with the map drawn
    say(page, "等等")
    eventually(lambda: state_of(guide) == "paused")
    expect(page.locator("#state")).to_have_text("暫停")
    say(page, "繼續")
    eventually(lambda: state_of(guide) not in ("paused", None))
    [visit] = dialogue.checkins.all()
    assert (visit.name, visit.organisation, visit.host, visit.phone) == ("陳大文", "數碼港公司", "李小姐", None)


def test_kiosk_language_toggle_and_stop_button(kiosk: tuple[str, Dialogue], page: Page) -> None:
    url, dialogue = kiosk
    open_kiosk(page, url, "zh-HK")
    page.click("[data-lang=en]")
    expect(page.locator("#stop")).to_have_text("STOP")
    expect(page.get_by_role("img", name="Map")).to_be_visible()  # names for screen readers follow the language
    expect(page.get_by_role("textbox", name="Message")).to_be_visible()
    say(page, "start the tour")
    expect(page.locator(".robot", has_text="Please follow me").first).to_be_visible()  # tour news may follow it
    guide = dialogue.guide
    eventually(lambda: moving(guide))
    page.click("#stop")
    eventually(lambda: state_of(guide) == "paused")
    page.click("[data-lang=zh-CN]")
    say(page, "继续")
    expect(page.locator(".robot", has_text="我们继续").first).to_be_visible()  # the next stop's news lands beside it
