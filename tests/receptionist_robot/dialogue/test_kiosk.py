"""The kiosk page in real Chromium: a Cantonese visitor checks in, tours, asks, waits, continues."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect

from receptionist_robot.dialogue import Dialogue
from receptionist_robot.kiosk import create_app
from tests.receptionist_robot.dialogue.conftest import _free_port, moving, state_of
from tests.support.axe import violations
from tests.support.waiting import eventually


@pytest.fixture
def kiosk(make_dialogue: Callable[..., Dialogue]) -> Iterator[tuple[str, Dialogue]]:
    dialogue = make_dialogue(robot=True)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(dialogue), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    eventually(lambda: server.started, timeout=30)
    yield f"http://127.0.0.1:{port}/kiosk/", dialogue
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    yield tab
    tab.close()


def say(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.click("form#ask button[type=submit]")


def test_kiosk_visit_in_cantonese(kiosk: tuple[str, Dialogue], page: Page) -> None:
    url, dialogue = kiosk
    page.goto(url + "?lang=zh-HK")
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
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
    page.goto(url + "?lang=zh-HK")
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    page.click("[data-lang=en]")
    expect(page.locator("#stop")).to_have_text("STOP")
    expect(page.get_by_role("img", name="Map")).to_be_visible()  # names for screen readers follow the language
    expect(page.get_by_role("textbox", name="Message")).to_be_visible()
    say(page, "start the tour")
    expect(page.locator(".robot").last).to_contain_text("Please follow me")
    guide = dialogue.guide
    eventually(lambda: moving(guide))
    page.click("#stop")
    eventually(lambda: state_of(guide) == "paused")
    page.click("[data-lang=zh-CN]")
    say(page, "继续")
    expect(page.locator(".robot").last).to_contain_text("我们继续")
