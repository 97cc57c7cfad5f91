"""Issue 16: the form review page for people, in Chromium: why each field was doubted, sure
fields folded and marked accepted, field and box lighting up together, zoom, the shortcut
list, raw data only behind "Details for support"; axe-clean and screenshotted in EN and 繁中."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from rpa.store import TaskStore
from tests.rpa.web.console.browsing import Server, shot, sign_in
from tests.rpa.web.console.seeding import review_page_image, seed_review_tasks
from tests.support.axe import violations

LATE = 4_000_000_000.0  # a due time in 2096
LIT = re.compile(r"(^|\s)hl(\s|$)")
WORDS = {  # what a person reads on the page, per language
    "en": {"link": "EN", "why": "The bot is only 62% sure of this reading; it needs 90%.",
           "second": "A second reading of the same spot disagreed: “CHAN Tai-rnan”.",
           "label": "Its label matches the template's only 81%.", "sure": "Accepted by the bot (3)",
           "accepted": "accepted", "status": "Open", "support": "Details for support", "keys": "Keyboard shortcuts"},
    "zh": {"link": "繁中", "why": "機械程序對此讀數只有 62% 把握，須達 90%。",
           "second": "再次讀取同一位置的結果不同：「CHAN Tai-rnan」。",
           "label": "欄位標籤與範本只有 81% 相符。", "sure": "機械程序已接受（3 項）",
           "accepted": "已接受", "status": "待處理", "support": "技術支援資料", "keys": "鍵盤快捷鍵"},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_review_page_says_why_folds_the_sure_and_hides_raw_data(console: Server, page: Page, lang: str) -> None:
    words = WORDS[lang]
    (task_id,) = seed_review_tasks(console.app.state.store, review_page_image(console.root / f"rp-{lang}.png"), 1,
                                   due_at=LATE)  # due last: the keyboard tests' tasks come first
    sign_in(page, console.url, "clerk")
    page.get_by_role("link", name=words["link"], exact=True).click()
    page.goto(f"{console.url}/console/tasks/{task_id}")
    name = page.get_by_test_id("field-applicant_name")
    expect(name).to_contain_text(words["why"])
    expect(name).to_contain_text(words["second"])
    expect(page.get_by_test_id("field-hkid")).to_contain_text(words["label"])
    expect(page.get_by_test_id("task-status")).to_have_text(words["status"])
    sure = page.get_by_test_id("sure-fields")
    expect(sure.locator("summary")).to_have_text(words["sure"])
    expect(page.get_by_test_id("field-phone")).to_be_hidden()  # folded away until opened
    support = page.get_by_test_id("support-details")
    expect(support.locator("summary")).to_have_text(words["support"])
    expect(support.locator("pre")).to_be_hidden()  # the raw JSON, closed by default
    assert '{"' not in page.locator("main").inner_text()
    shot(page, f"review-page-{lang}")
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core)
    sure.locator("summary").click()
    expect(page.get_by_test_id("field-phone")).to_contain_text(words["accepted"])
    page.get_by_role("button", name=words["keys"]).click()
    expect(page.locator("dialog#shortcuts")).to_be_visible()
    assert violations(page) == []  # the shortcut list too
    TaskStore(console.app.state.store.engine).complete(task_id, {}, by="test")  # later tests see the inbox as it was


def test_review_page_field_and_box_light_up_together_and_the_image_zooms(console: Server, page: Page) -> None:
    (task_id,) = seed_review_tasks(console.app.state.store, review_page_image(console.root / "rp-hover.png"), 1,
                                   due_at=LATE)
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/tasks/{task_id}")
    field, box = page.get_by_test_id("field-hkid"), page.locator("rect.p-value[data-ref='f1']")
    field.hover()
    expect(box).to_have_class(LIT)
    page.mouse.move(0, 0)
    expect(box).not_to_have_class(LIT)
    box.hover()
    expect(field).to_have_class(LIT)
    box.click()  # a box leads to its field
    expect(page.get_by_label("hkid")).to_be_focused()
    page.keyboard.press("Escape")
    svg = page.locator("[data-zoom-frame] svg").first
    before = svg.bounding_box()["width"]
    page.keyboard.press("+")
    page.get_by_role("button", name="Zoom in (+)").click()
    assert svg.bounding_box()["width"] == pytest.approx(before * 1.25 * 1.25, rel=0.02)
    page.keyboard.press("0")
    assert svg.bounding_box()["width"] == pytest.approx(before, rel=0.02)
    TaskStore(console.app.state.store.engine).complete(task_id, {}, by="test")
