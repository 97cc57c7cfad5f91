"""Acceptance 4: with 10,000 runs the runs page is a correct, paginated page of 50.

Speed is measured, not asserted: `python bench/console.py` prints the page's render time
beside its SQL's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from rpa.auth import add_user
from rpa.web import create_app
from tests.rpa.web.console.browsing import PASSWORD, Server, shot, sign_in
from tests.rpa.web.console.seeding import seed_runs

RUNS = 10_000


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[FastAPI], str]) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("crowded")
    app = create_app(f"sqlite:///{root / 'many.db'}", root / "no-flows")
    add_user(app.state.store.engine, "boss", "admin", PASSWORD, actor="test")
    app.state.seeded = seed_runs(app.state.store.engine, RUNS)
    yield Server(serve(app), app, Path(root))


def _ids(page: Page) -> list[str]:
    return page.locator("tbody tr[data-run]").evaluate_all("rows => rows.map(r => r.dataset.run)")


def test_console_runs_page_paginates_ten_thousand_runs(crowded: Server, page: Page) -> None:
    newest_first = crowded.app.state.seeded
    sign_in(page, crowded.url, "boss")
    page.goto(f"{crowded.url}/console/runs")
    expect(page.locator("caption")).to_contain_text("Page 1 of 200 (10000 in all)")
    assert _ids(page) == newest_first[:50]
    shot(page, "runs-10000")
    page.get_by_role("link", name="Next").click()
    expect(page.locator("caption")).to_contain_text("Page 2 of 200")
    assert _ids(page) == newest_first[50:100]


def test_console_runs_page_filters_by_status_and_flow(crowded: Server, page: Page) -> None:
    sign_in(page, crowded.url, "boss")
    page.goto(f"{crowded.url}/console/runs")
    page.get_by_label("Status").select_option("failure")
    page.get_by_label("Flow").select_option("flow1")
    page.get_by_role("button", name="Filter").click()
    # n % 5 == 1 (failure) and n % 4 == 1 (flow1): n % 20 == 1, so 500 of 10,000
    expect(page.locator("caption")).to_contain_text("Page 1 of 10 (500 in all)")
    statuses = page.locator("tbody tr[data-run] .badge").evaluate_all("els => els.map(e => e.dataset.status)")
    assert len(statuses) == 50 and set(statuses) == {"failure"}
    assert _ids(page)[0] == "r0009981"


def test_console_runs_page_past_the_end_shows_the_last_page(crowded: Server, page: Page) -> None:
    sign_in(page, crowded.url, "boss")
    page.goto(f"{crowded.url}/console/runs?page_no=999")
    expect(page.locator("caption")).to_contain_text("Page 200 of 200")
    assert _ids(page) == crowded.app.state.seeded[-50:]
