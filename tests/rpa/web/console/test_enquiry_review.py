"""An officer reviews a doubtful enquiry in the console: the enquiry, the bot's suggestion,
similar past cases and the draft reply are shown; picking a department completes the task."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from rpa.store import TaskStore
from tests.rpa.web.console.browsing import Server, shot, sign_in
from tests.support.axe import violations

FORM = {"type": "object", "required": ["department"],
        "properties": {"department": {"type": "string", "enum": ["housing", "water_supplies", "out_of_scope"]}}}
DATA = {
    "kind": "enquiry_review", "department": "water_supplies",
    "enquiry": {"subject": "樓上漏水", "body": "我屋企天花板成日滴水，好似係樓上漏水。", "language": "zh",
                "channel": "email", "status": "ok"},
    "suggestion": {"band": "suggest", "intent": "water_supplies", "department": "WSD", "confidence": 0.62,
                   "reason": "below the auto threshold", "queue": "triage.wsd"},
    "similar": [{"id": "C-17", "text": "Water dripping from the flat above", "department": "BD",
                 "resolution": "Joint Office inspected the seepage", "score": 0.71}],
    "draft": {"language": "zh", "reference": "E-1", "subject": "覆：樓上漏水", "body": "多謝你的查詢。"},
}


def test_console_enquiry_review_shows_suggestion_cases_and_draft(console: Server, page: Page) -> None:
    tasks = TaskStore(console.app.state.store.engine)
    task = tasks.create("enquiry-review-test", "no-such-run", "Route enquiry E-1", FORM, DATA)
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/tasks/{task.id}")
    review = page.get_by_test_id("enquiry-review")
    expect(review).to_contain_text("樓上漏水")
    expect(page.get_by_test_id("suggestion")).to_contain_text("WSD")
    expect(page.get_by_test_id("suggestion")).to_contain_text("62%")
    expect(page.get_by_test_id("suggestion")).to_contain_text("a suggestion to check")  # the band, in words
    expect(review).to_contain_text("Joint Office inspected the seepage")
    expect(review).to_contain_text("多謝你的查詢。")
    expect(page.get_by_label("department *")).to_have_value("water_supplies")
    shot(page, "enquiry-review")
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core)
    page.get_by_label("department *").select_option("housing")
    page.get_by_role("button", name="Accept").click()
    assert tasks.get(task.id).result == {"department": "housing"}
