"""Acceptance 1: a staff user starts a flow, watches it park on a review task, corrects a
field in the review inbox, accepts, and sees the run finish — in Chromium."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from rpa.audit import entries
from tests.rpa.web.console.browsing import Server, shot, sign_in
from tests.support.axe import violations


def test_console_staff_review_journey_finishes_the_run(console: Server, page: Page) -> None:
    sign_in(page, console.url, "clerk")
    page.get_by_role("link", name="Flows", exact=True).click()
    page.get_by_role("link", name="review_demo").click()
    page.get_by_label(re.compile("^applicant")).fill("CHAN TAI MAN")
    page.get_by_label(re.compile("^copies")).fill("2")
    shot(page, "flow-start-form")
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core)
    page.get_by_role("button", name="Start").click()
    status = page.get_by_test_id("run-status")
    expect(status).to_have_attribute("data-status", "waiting", timeout=15_000)  # the worker ran it up to the task
    run_url = page.url
    page.get_by_role("link", name="Review inbox").click()
    page.get_by_role("link", name="Check the applicant's name").first.click()
    expect(page.locator("rect.box.b-review")).to_have_count(1)
    expect(page.get_by_test_id("field-name")).to_contain_text("42% sure")
    expect(page.get_by_label("Name *")).to_have_value("CHAN TAI MAN")
    shot(page, "review-task")
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core)
    page.get_by_label("Name *").fill("CHAN Tai-man")
    task_url = page.url
    page.get_by_role("button", name="Accept and next").click()
    page.wait_for_url(lambda url: url != task_url)
    page.goto(run_url)  # other tests' open tasks may come next
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "success", timeout=15_000)  # live update
    answer = json.loads(page.get_by_test_id("vars").text_content())["answer"]
    assert answer == {"name": "CHAN Tai-man", "copies": 2}
    shot(page, "run-finished")
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core)
    done = [e for e in entries(console.app.state.store.engine) if e.action == "task.complete"]
    assert done and done[0].actor == "clerk"


def test_console_reject_needs_a_reason(console: Server, page: Page) -> None:
    sign_in(page, console.url, "sue")
    page.goto(f"{console.url}/console/flows/review_demo")
    page.get_by_label(re.compile("^applicant")).fill("WONG")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "waiting", timeout=15_000)
    run_url = page.url
    page.goto(f"{console.url}/console/inbox")
    page.get_by_role("link", name="Check the applicant's name").last.click()
    page.get_by_role("button", name="Reject and next").click()
    expect(page.get_by_role("alert")).to_contain_text("give a reason")
    page.get_by_label("Reason for rejecting").fill("not our form")
    task_url = page.url
    page.get_by_role("button", name="Reject and next").click()
    page.wait_for_url(lambda url: url != task_url)
    page.goto(run_url)
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "success", timeout=15_000)
    answer = json.loads(page.get_by_test_id("vars").text_content())["answer"]
    assert answer == {"name": "WONG", "copies": 1, "rejected": True, "reason": "not our form"}
