"""Issue 16: a reviewer clears ten form tasks with the keyboard alone, from the inbox, never
going back to it; single keys do nothing while typing in a field, Ctrl+Enter does."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from rpa.store import TaskStore
from tests.rpa.web.console.browsing import Server, sign_in
from tests.rpa.web.console.seeding import review_page_image, seed_review_tasks

TASKS = 10


def _on_task(page: Page, base: str, task_id: int) -> None:
    page.wait_for_url(f"{base}/console/tasks/{task_id}")
    expect(page.locator("#review-form")).to_be_visible()


def _left(page: Page, base: str, task_id: int) -> None:
    """The answer was sent and the browser went on (to the next task or the run's page)."""
    page.wait_for_url(lambda url: url != f"{base}/console/tasks/{task_id}")


def test_review_keyboard_alone_clears_ten_tasks_from_the_inbox(console: Server, page: Page) -> None:
    store = console.app.state.store
    ids = seed_review_tasks(store, review_page_image(console.root / "review-keys.png"), TASKS)
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/inbox")
    expect(page.locator("#inbox-list a").first).to_have_attribute("href", f"/console/tasks/{ids[0]}")
    page.keyboard.press("o")  # open the first task
    for task_id in ids:
        _on_task(page, console.url, task_id)
        page.keyboard.press("a")  # accept and go on to the next
    _left(page, console.url, ids[-1])
    done = [TaskStore(store.engine).get(i) for i in ids]
    assert [(t.status, t.completed_by) for t in done] == [("done", "clerk")] * TASKS
    assert done[0].result == {"applicant_name": "CHAN Tai-man", "hkid": "A123456(3)"}


def test_review_single_keys_wait_while_typing_and_ctrl_enter_accepts(console: Server, page: Page) -> None:
    store = console.app.state.store
    first, second = seed_review_tasks(store, review_page_image(console.root / "review-typing.png"), 2, due_at=0.1)
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/tasks/{first}")
    page.keyboard.press("j")  # the first field to check
    expect(page.get_by_label("applicant_name")).to_be_focused()
    page.keyboard.type(" ara")  # an "a" typed in a field is text, not "accept"
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    _on_task(page, console.url, second)
    assert TaskStore(store.engine).get(first).result["applicant_name"] == "CHAN Tai-man ara"
    page.keyboard.press("j")
    page.keyboard.press("End")
    page.keyboard.type(" Jr")
    page.keyboard.press("Control+Enter")  # a modifier works while typing
    _left(page, console.url, second)
    assert TaskStore(store.engine).get(second).result["applicant_name"] == "CHAN Tai-man Jr"


def test_review_reject_and_next_by_keyboard_needs_a_reason(console: Server, page: Page) -> None:
    store = console.app.state.store
    (task_id,) = seed_review_tasks(store, review_page_image(console.root / "review-reject.png"), 1, due_at=0.01)
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/tasks/{task_id}")
    page.keyboard.press("r")
    expect(page.get_by_label("Reason for rejecting")).to_be_focused()
    page.keyboard.type("not our form")
    page.keyboard.press("Control+Enter")  # in the reason box: reject and next
    _left(page, console.url, task_id)
    result = TaskStore(store.engine).get(task_id).result
    assert (result["rejected"], result["reason"]) == (True, "not our form")
