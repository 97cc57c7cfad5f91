"""What a visitor runs into at the kiosk, in real Chromium against the real Rasa server, in
Cantonese, English and Mandarin: a check-in that a tour event interrupts, a refused start,
the assistant going away and coming back, an off-topic question mid-tour, "this exhibit",
everyday phrasings for pause / resume / skip / stop, the greeting screen and the map."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from receptionist_robot.controller import TourEvent
from receptionist_robot.dialogue import Dialogue, current_stop
from receptionist_robot.notices import notice
from receptionist_robot.tours import load_tours
from tests.receptionist_robot.dialogue.conftest import SHIPPED, moving, only_session, open_kiosk, state_of
from tests.receptionist_robot.dialogue.proxy import Relay
from tests.support.axe import violations
from tests.support.waiting import eventually

LANGS = ["zh-HK", "en", "zh-CN"]
TOURS = load_tours(SHIPPED)
Kiosk = Callable[..., tuple[str, Dialogue]]


@pytest.fixture
def kiosk(make_dialogue: Callable[..., Dialogue], serve_kiosk: Callable[[Dialogue], str]) -> Kiosk:
    def make(**options: object) -> tuple[str, Dialogue]:
        dialogue = make_dialogue(**options)
        return serve_kiosk(dialogue), dialogue
    return make


def say(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.click("form#ask button[type=submit]")


def robot_said(page: Page, text: str) -> None:
    expect(page.locator(".robot", has_text=text).first).to_be_visible()


CHECKIN = {
    "zh-HK": ("我想登記", "陳大文", "數碼港公司", "李小姐", "跳過"),
    "en": ("I'd like to check in", "Ada Chan", "Cyberport Limited", "Ms Lee", "skip"),
    "zh-CN": ("我想登记", "陈大文", "数码港公司", "李小姐", "跳过"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_kiosk_checkin_keeps_the_visitors_words_when_a_tour_event_arrives(
        kiosk: Kiosk, page: Page, lang: str) -> None:
    url, dialogue = kiosk(robot=True)
    open_kiosk(page, url, lang)
    ask, name, organisation, host, phone = CHECKIN[lang]
    for text in (ask, name):
        say(page, text)
    eventually(lambda: len(dialogue.sessions[only_session(dialogue)].messages) >= 4, what="organisation asked")
    arrived = TourEvent("presentation", "presenting", {"location": "gis", "texts": {lang: "GIS script"}})
    dialogue._tour_event(only_session(dialogue), arrived)  # the controller's listener, mid-form
    robot_said(page, "GIS script")
    for text in (organisation, host, phone):
        say(page, text)
    robot_said(page, organisation)
    summary = page.locator(".robot", has_text=organisation).last.inner_text()
    assert name in summary and host in summary and "EXTERNAL" not in summary


@pytest.mark.parametrize(("lang", "start"), [("zh-HK", "開始導賞"), ("en", "start the tour"), ("zh-CN", "开始导览")])
def test_kiosk_refused_start_is_said_as_refused(kiosk: Kiosk, page: Page, lang: str, start: str) -> None:
    url, dialogue = kiosk(robot=True)
    open_kiosk(page, url, lang)
    say(page, start)
    eventually(lambda: moving(dialogue.guide), what="tour moving")
    say(page, start)  # a second start while the first tour runs: the controller refuses it
    robot_said(page, notice("tour_running", lang))
    assert page.locator(".robot").last.inner_text() == notice("tour_running", lang)


@pytest.mark.parametrize(("lang", "hello", "welcome"), [("zh-HK", "你好", "歡迎"), ("en", "hello", "Welcome"),
                                                         ("zh-CN", "你们好", "欢迎")])
def test_kiosk_shows_assistant_unavailable_then_reconnects_and_sends_the_kept_turn(
        kiosk: Kiosk, page: Page, rasa_url: str, smtp, lang: str, hello: str, welcome: str) -> None:  # type: ignore[no-untyped-def]
    relay = Relay(rasa_url)
    try:
        url, dialogue = kiosk(robot=False, rasa=relay.url)
        open_kiosk(page, url, lang)
        relay.down()
        say(page, hello)
        expect(page.locator("#assistant")).to_have_text(notice("unavailable", lang))
        expect(page.locator(".visitor.pending", has_text=hello)).to_have_count(1)  # kept, not dropped
        eventually(lambda: any("unavailable" in b for b in smtp[1].bodies()), what="staff told")
        relay.up()
        robot_said(page, welcome)  # reconnected by itself and sent the kept turn
        expect(page.locator("#assistant")).to_be_hidden()
        expect(page.locator(".visitor.pending")).to_have_count(0)
        assert [m.text for m in dialogue.sessions[only_session(dialogue)].messages if m.role == "visitor"] == [hello]
        assert len(smtp[1].mails) == 1  # told once per outage
    finally:
        relay.close()


OFF_TOPIC = {"zh-HK": "推介間餐廳俾我", "en": "recommend a restaurant please", "zh-CN": "给我推荐一家餐厅"}
START = {"zh-HK": "開始導賞", "en": "start the tour", "zh-CN": "开始导览"}
CANNOT_HELP = {"zh-HK": "呢樣我幫唔到你", "en": "I can't help with that here", "zh-CN": "这个我帮不了你"}


@pytest.mark.parametrize("lang", LANGS)
def test_kiosk_off_topic_question_mid_tour_leaves_the_tour_alone(kiosk: Kiosk, page: Page, lang: str) -> None:
    url, dialogue = kiosk(robot=True, dwell_scale=2.0)
    open_kiosk(page, url, lang)
    say(page, START[lang])
    eventually(lambda: moving(dialogue.guide), what="tour moving")
    say(page, OFF_TOPIC[lang])
    robot_said(page, CANNOT_HELP[lang])  # the answer, whatever tour news lands beside it
    actions = [a["action"] for a in dialogue.sessions[only_session(dialogue)].actions]
    assert actions == ["start_tour"] and state_of(dialogue.guide) != "paused"


THIS = {"zh-HK": "呢個展品係咩嚟㗎", "en": "what is this exhibit about", "zh-CN": "这个展品是什么东西"}


@pytest.mark.parametrize("lang", LANGS)
def test_kiosk_this_exhibit_is_the_robots_current_stop(kiosk: Kiosk, page: Page, lang: str) -> None:
    url, dialogue = kiosk(robot=True, dwell_scale=3.0)
    open_kiosk(page, url, lang)
    say(page, THIS[lang])  # before any stop
    robot_said(page, notice("no_exhibit", lang))
    say(page, START[lang])
    eventually(lambda: state_of(dialogue.guide) == "presenting", timeout=120, what="at the first stop")
    stop = current_stop(dialogue.guide)
    assert stop is not None
    say(page, THIS[lang])
    name = TOURS.locations[stop.location].names.get(lang)
    robot_said(page, f"{name}: {stop.script.get(lang)}")


PHRASES = {  # everyday phrasings, none of them a training example as written
    "zh-HK": [("停低先啦", "pause"), ("好，繼續行", "resume"), ("呢個唔睇", "skip"), ("唔睇喇，多謝", "stop")],
    "en": [("hang on a sec", "pause"), ("keep going please", "resume"), ("next one", "skip"),
           ("we're done with the tour", "stop")],
    "zh-CN": [("先停一下吧", "pause"), ("继续走吧", "resume"), ("这个跳过吧", "skip"), ("不看了，谢谢", "stop")],
}


@pytest.mark.parametrize("lang", LANGS)
def test_kiosk_everyday_phrasings_pause_resume_skip_and_stop(kiosk: Kiosk, page: Page, lang: str) -> None:
    url, dialogue = kiosk(robot=False)
    open_kiosk(page, url, lang)
    session = dialogue.sessions[only_session(dialogue)]
    for n, (text, action) in enumerate(PHRASES[lang], start=1):
        say(page, text)
        eventually(lambda n=n: len(session.actions) >= n, what=f"an action for {text!r}")
        assert session.actions[-1]["action"] == action, text


@pytest.fixture
def full_hd(browser: Browser) -> Iterator[Page]:
    tab = browser.new_page(viewport={"width": 1920, "height": 1080})
    yield tab
    tab.close()


@pytest.mark.parametrize("lang", LANGS)
def test_kiosk_greeting_then_a_labelled_map_that_fits_1920x1080(kiosk: Kiosk, full_hd: Page, lang: str) -> None:
    url, dialogue = kiosk(robot=True)
    full_hd.goto(url)
    expect(full_hd.locator("#greeting")).to_be_visible()
    expect(full_hd.locator("#greeting [data-start]")).to_have_count(3)
    assert violations(full_hd) == []  # WCAG 2.1 A/AA (axe-core) on the greeting screen
    full_hd.click(f"#greeting [data-start={lang}]")
    full_hd.wait_for_selector("body[data-ready=true]")
    expect(full_hd.locator("#greeting")).to_be_hidden()
    names = sorted(loc.names.get(lang) for loc in TOURS.locations.values())
    expect(full_hd.locator("#map text.label")).to_have_count(len(names))
    eventually(lambda: sorted(full_hd.locator("#map text.label").all_text_contents()) == names,
               what="the map labelled in the visitor's language")
    # one look at the map and every label (the map is redrawn as the robot's status comes in)
    box, labels = full_hd.evaluate("""() => {
        const r = (e) => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
        return [r(document.querySelector('#map')),
                [...document.querySelectorAll('#map text.label')].map(t => [t.textContent, ...r(t)])]; }""")
    for text, left, top, right, bottom in labels:
        assert box[0] <= left and right <= box[2] + 1 and box[1] <= top and bottom <= box[3] + 1, text
    size = full_hd.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size[0] <= 1920 and size[1] <= 1080
    assert box[3] <= 1080 and full_hd.locator("form#ask").bounding_box()["y"] < 1080
    assert violations(full_hd) == []  # and with the labelled map drawn


@pytest.mark.parametrize(("lang", "hello", "welcome"), [("zh-HK", "你好", "歡迎"), ("en", "hello", "Welcome"),
                                                         ("zh-CN", "你们好", "欢迎")])
def test_kiosk_left_idle_forgets_the_visitor_and_greets_the_next(
        kiosk: Kiosk, page: Page, monkeypatch: pytest.MonkeyPatch, lang: str, hello: str, welcome: str) -> None:
    monkeypatch.setenv("SMARTLAB_KIOSK_IDLE", "60")
    url, dialogue = kiosk(robot=False)
    page.clock.install()  # the page's clock, moved by the test: no waiting a minute
    open_kiosk(page, url, lang)
    say(page, hello)
    robot_said(page, welcome)
    page.clock.run_for(30_000)
    expect(page.locator("#greeting")).to_be_hidden()  # half the idle time: still this visitor's
    page.clock.run_for(31_000)
    expect(page.locator("#greeting")).to_be_visible()
    expect(page.locator("#chat .msg")).to_have_count(0)
    eventually(lambda: dialogue.sessions == {}, what="the session forgotten")
