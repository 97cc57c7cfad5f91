"""Acceptance 3: every page renders in Chromium (a screenshot of each in test-artifacts/console),
and the operations on queues, uploads and the audit log work from the browser."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from rpa.audit import record
from rpa.store import QueueStore, TaskStore
from tests.rpa.web.console.browsing import Server, shot, sign_in
from tests.support.axe import violations

# (page, a heading it must show): as an admin, who may open every page
PAGES = [
    ("/console/", "Dashboard"),
    ("/console/runs", "Runs"),
    ("/console/flows", "Flows"),
    ("/console/flows/review_demo", "Flow review_demo"),
    ("/console/queues", "Queues"),
    ("/console/inbox", "Review inbox"),
    ("/console/upload", "Upload"),
    ("/console/audit", "Audit log"),
    ("/console/robot", "Robot"),
    ("/console/users", "Users"),
    ("/console/secrets", "Secrets"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_console_page_renders(console: Server, page: Page, path: str, heading: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, console.url, "boss")
    response = page.goto(f"{console.url}{path}")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.evaluate("typeof htmx") == "object"  # vendored htmx loaded, no CDN
    shot(page, "page" + path.replace("/", "-").rstrip("-"))
    assert errors == []


def test_console_pages_switch_to_traditional_chinese(console: Server, page: Page) -> None:
    sign_in(page, console.url, "clerk")
    page.get_by_role("link", name="繁中").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("總覽")
    expect(page.get_by_role("link", name="審核收件匣")).to_be_visible()
    shot(page, "dashboard-zh")
    page.get_by_role("link", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def test_console_login_page_is_reachable_by_keyboard(page: Page, console: Server) -> None:
    page.goto(f"{console.url}/console/login")
    expect(page.get_by_label("User name")).to_be_focused()
    page.keyboard.type("clerk")
    page.keyboard.press("Tab")
    page.keyboard.type("a long enough password")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{console.url}/console/")
    shot(page, "page-login-done")


def test_console_flow_graph_and_validation_errors(console: Server, page: Page) -> None:
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/flows")
    expect(page.get_by_role("row", name="broken")).to_contain_text("invalid")
    expect(page.get_by_text("nowhere").first).to_be_visible()
    page.get_by_role("link", name="review_demo").click()
    expect(page.locator("figure.graph svg g.node > title")).to_have_text(["__start", "check", "done"])
    expect(page.locator('figure.graph svg [fill="#bbdefb"]')).to_have_count(0)
    flow = console.app.state.catalog.by_name("review_demo")
    run = console.app.state.store.create_run(flow.name, flow.path, "check", {"applicant": "x"}, status="waiting")
    page.goto(f"{console.url}/console/flows/review_demo?run={run.id}")
    expect(page.locator('figure.graph svg [fill="#bbdefb"]')).to_have_count(1)  # the state it is in
    shot(page, "flow-graph-with-run")


def test_console_queue_items_abandon_and_reprioritise(console: Server, page: Page) -> None:
    queues = QueueStore(console.app.state.store.engine)
    first, _ = queues.add("letters", "L-1", {"n": 1})
    second, _ = queues.add("letters", "L-2", {"n": 2})
    sign_in(page, console.url, "sue")
    page.goto(f"{console.url}/console/queues?queue=letters")
    row = page.get_by_role("row", name=f"{second.id} letters L-2")
    row.get_by_label("Priority").fill("7")
    row.get_by_role("button", name="Set priority").click()
    page.get_by_role("row", name=f"{first.id} letters L-1").get_by_role("button", name="Abandon").click()
    expect(page.get_by_role("row", name=f"{first.id} letters L-1")).to_contain_text("Abandoned")
    page.get_by_role("row", name=f"{first.id} letters L-1").get_by_role("button", name="Retry").click()
    assert (queues.get(second.id).priority, queues.get(first.id).status) == (7, "abandoned")
    assert queues.by_reference("letters", "L-1").attempt == 2
    shot(page, "queues-actions")


def test_console_staff_cannot_manage_queue_items(console: Server, page: Page) -> None:
    QueueStore(console.app.state.store.engine).add("letters", "L-9", {})
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/queues?queue=letters")
    expect(page.get_by_role("button", name="Abandon")).to_have_count(0)


def test_console_upload_drops_files_into_the_watched_folder(console: Server, page: Page, tmp_path) -> None:  # noqa: ANN001
    form = tmp_path / "application-1.pdf"
    form.write_bytes(b"%PDF-1.4 test form\n")
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/upload")
    page.get_by_label("Files").set_input_files(str(form))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("application-1.pdf")
    assert (console.root / "inbox" / "application-1.pdf").read_bytes() == b"%PDF-1.4 test form\n"
    shot(page, "upload-done")


def test_console_audit_filters_and_shows_a_broken_chain(console: Server, page: Page) -> None:
    engine = console.app.state.store.engine
    record(engine, "auditor-test", "note.add", "T-1", {})
    sign_in(page, console.url, "sue")
    page.goto(f"{console.url}/console/audit")
    expect(page.get_by_test_id("chain")).to_have_text("Chain intact")
    page.get_by_label("Who").fill("auditor-test")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("note.add")


def test_console_robot_page_says_not_connected(console: Server, page: Page) -> None:
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/robot")
    expect(page.get_by_test_id("robot-state")).to_contain_text("not connected")


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_console_page_meets_wcag_aa(console: Server, page: Page, path: str, heading: str) -> None:
    """axe-core's WCAG 2.1 A and AA rules (labels, contrast, landmarks, names, language...)."""
    sign_in(page, console.url, "boss")
    page.goto(f"{console.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert violations(page) == []


def test_console_page_in_chinese_meets_wcag_aa(console: Server, page: Page) -> None:
    sign_in(page, console.url, "clerk")
    page.get_by_role("link", name="繁中").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("總覽")
    assert page.get_attribute("html", "lang") == "zh-Hant-HK"
    assert violations(page) == []


def test_console_login_page_meets_wcag_aa(console: Server, page: Page) -> None:
    page.goto(f"{console.url}/console/login")
    assert violations(page) == []


def test_console_runs_list_and_inbox_update_live_by_server_sent_events(console: Server, page: Page) -> None:
    """No reload and no polling timer: the store changes, the open page shows it."""
    store = console.app.state.store
    flow = console.app.state.catalog.by_name("review_demo")
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/runs")
    expect(page.locator("#runs-table")).to_be_visible()
    run = store.create_run(flow.name, flow.path, "check", {"applicant": "live"}, status="cancelled")
    expect(page.locator("#runs-table")).to_contain_text(run.id)
    page.goto(f"{console.url}/console/inbox")
    title = f"Live task {run.id[:6]}"
    task = TaskStore(store.engine).create(f"live-{run.id}", run.id, title, {"type": "object"}, role="staff")
    expect(page.locator("#inbox-list")).to_contain_text(title)
    TaskStore(store.engine).complete(task.id, {}, by="test")  # later tests see the inbox as it was
    expect(page.locator("#inbox-list")).not_to_contain_text(title)


def test_console_store_events_stream_says_change_when_the_store_changes(console: Server, page: Page) -> None:
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/")
    flow = console.app.state.catalog.by_name("review_demo")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    with httpx.stream("GET", f"{console.url}/console/events", cookies=cookies, timeout=30) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert [next(lines) for _ in range(4)] == ["retry: 2000", "", "event: change", "data: store"]  # first look
        console.app.state.store.create_run(flow.name, flow.path, "check", {"applicant": "sse"}, status="cancelled")
        assert "event: change" in [next(lines) for _ in range(3)]
