"""The dashboard in Chromium over a store with a day of work: its charts in both languages
(screenshots in test-artifacts/console/), axe-core clean, live by server-sent events (a redraw
never lands under a pressed mouse, which would eat the click), and empty states that say what
to do next."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from rpa.store import TaskStore
from tests.rpa.web.console.browsing import Server, shot, sign_in
from tests.rpa.web.console.busy_day import busy_app, midday
from tests.support.axe import violations

CHARTS = ("runs", "queue", "tasks", "share", "tours")
# Counts the live redraws htmx has finished on the page (a swap or a held one), from before its scripts run.
COUNT_REDRAWS = """window.redraws = 0;
document.addEventListener("htmx:afterRequest", function () { window.redraws += 1; });"""


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[FastAPI], str]) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("day")
    now = time.time()
    with midday(now) as start_of_day:
        app, _ = busy_app(root, now, start_of_day)
        yield Server(serve(app), app, root)


@pytest.mark.parametrize(("lang", "heading", "runs_title"), [
    ("en", "Dashboard", "Runs per hour by outcome, last 24 hours"),
    ("zh", "總覽", "過去 24 小時每小時的執行結果"),
])
def test_dashboard_draws_every_chart_from_the_store(day: Server, page: Page, lang: str, heading: str,
                                                    runs_title: str) -> None:
    sign_in(page, day.url, "boss")
    page.goto(f"{day.url}/console/lang/{lang}?back=/console/")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("img", name=runs_title)).to_be_visible()
    for chart in CHARTS:
        expect(page.locator(f"[data-chart={chart}] svg.chart")).to_be_visible()
        expect(page.locator(f"[data-chart={chart}] .empty")).to_have_count(0)
    assert page.locator("#chart-runs rect").count() > 24  # bars of several outcomes over the day
    shot(page, f"dashboard-charts-{lang}")
    assert violations(page) == []


def test_dashboard_shows_figures_as_tables_and_tasks_against_due(day: Server, page: Page) -> None:
    sign_in(page, day.url, "clerk")
    runs = page.locator("[data-chart=runs]")
    expect(runs.get_by_role("table")).to_have_count(0)
    page.get_by_role("link", name="Show the figures as tables").click()
    expect(runs.get_by_role("table").get_by_role("columnheader")).to_have_text(
        ["Hour", "Succeeded", "Not accepted (business rule)", "Failed", "Cancelled", "Total"])
    expect(runs.get_by_role("row")).to_have_count(25)  # a head and 24 hours
    tasks = page.locator("[data-chart=tasks]")
    expect(tasks.get_by_role("img")).to_have_accessible_description("6 open tasks, 2 overdue.")
    expect(tasks.get_by_role("link", name="#1 Check the form of Applicant 0")).to_be_visible()
    expect(tasks.locator("li").first).to_contain_text("Overdue")
    assert violations(page) == []


def test_dashboard_redraws_when_the_store_changes(day: Server, page: Page) -> None:
    sign_in(page, day.url, "clerk")
    tasks = page.locator("[data-chart=tasks] svg")
    expect(tasks).to_have_accessible_description("6 open tasks, 2 overdue.")
    made = TaskStore(day.app.state.store.engine).create("live-day", "day00001", "Live task", {"type": "object"},
                                                        due_at=time.time() - 60)
    expect(tasks).to_have_accessible_description("7 open tasks, 3 overdue.")  # by server-sent events
    TaskStore(day.app.state.store.engine).complete(made.id, {}, by="test")
    expect(tasks).to_have_accessible_description("6 open tasks, 2 overdue.")


def _change_while_pressed(day: Server, page: Page, title: str, made: list[int]) -> None:
    """Press the mouse where it is, add an overdue task and wait for its redraw to reach the page."""
    before = page.evaluate("() => window.redraws")
    page.mouse.down()
    made.append(TaskStore(day.app.state.store.engine).create(title, "day00001", title, {"type": "object"},
                                                             due_at=time.time() - 60).id)
    page.wait_for_function(f"() => window.redraws > {before}")  # the change came by server-sent events


def test_dashboard_live_redraw_waits_for_a_pressed_mouse(day: Server, page: Page) -> None:
    page.add_init_script(COUNT_REDRAWS)
    sign_in(page, day.url, "clerk")
    page.wait_for_function("() => window.redraws >= 1")  # the stream's first `change` has redrawn the page
    tasks, made = page.locator("[data-chart=tasks] svg"), []
    try:
        tasks.hover()
        _change_while_pressed(day, page, "Held task", made)
        expect(tasks).to_have_accessible_description("6 open tasks, 2 overdue.")  # not swapped under the press
        page.mouse.up()
        expect(tasks).to_have_accessible_description("7 open tasks, 3 overdue.")  # asked again on release
        page.get_by_role("link", name="Show the figures as tables").hover()
        _change_while_pressed(day, page, "Pressed task", made)
        page.mouse.up()  # had the redraw replaced the link under the press, the click would be lost
        expect(page.locator("[data-chart=runs]").get_by_role("table").get_by_role("columnheader")).to_have_count(6)
        expect(tasks).to_have_accessible_description("8 open tasks, 4 overdue.")
    finally:
        for task in made:
            TaskStore(day.app.state.store.engine).complete(task, {}, by="test")
