"""`bench/console.py --review`: ten form reviews in Chromium, today's way and the new way.

Each round seeds ten fresh form-review tasks (tests/rpa/web/console/seeding.py) and clears
them from the inbox in one of three ways, the ways taking turns so a busy machine slows each
alike; every click and key press is counted by the code that makes it:

- today's flow (baseline), by mouse: inbox -> open the task -> Accept -> back to the inbox;
- the new flow by mouse: inbox -> open the first task -> "Accept and next" on each;
- the new flow by keyboard alone: `o` in the inbox, then `a` on each task.

A task counts as cleared when the browser shows the page after it (the next task, or the last
one's run) with the answer stored.
"""

from __future__ import annotations

import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from rpa.auth import add_user
from rpa.store import TaskStore
from rpa.web import create_app
from tests.rpa.web.console.seeding import review_page_image, seed_review_tasks
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

PASSWORD = "bench password 1"
TASKS = 10


@dataclass
class Counts:
    clicks: int = 0
    keys: int = 0


def _serve(app: object) -> tuple[str, uvicorn.Server, threading.Thread]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/console/login")
    page.get_by_label("User name").fill("bench")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/console/")


def _shown(page: Page, base: str, task_id: int) -> None:
    page.wait_for_url(f"{base}/console/tasks/{task_id}")
    page.locator("#review-form").wait_for()


def _gone(page: Page, url: str) -> None:
    page.wait_for_url(lambda now: now != url)
    page.locator("main").wait_for()


def _inbox(page: Page, base: str) -> None:
    page.goto(f"{base}/console/inbox")
    page.locator("#inbox-list a").first.wait_for()


def today(page: Page, base: str, ids: list[int], counts: Counts) -> None:
    for task_id in ids:
        page.locator(f'#inbox-list a[href="/console/tasks/{task_id}"]').click()
        counts.clicks += 1
        _shown(page, base, task_id)
        url = page.url
        page.locator('button[data-action="accept"]').click()
        counts.clicks += 1
        _gone(page, url)
        page.get_by_role("link", name="Review inbox").click()
        counts.clicks += 1
        page.wait_for_url(f"{base}/console/inbox")


def new_by_mouse(page: Page, base: str, ids: list[int], counts: Counts) -> None:
    page.locator(f'#inbox-list a[href="/console/tasks/{ids[0]}"]').click()
    counts.clicks += 1
    for task_id in ids:
        _shown(page, base, task_id)
        url = page.url
        page.locator('button[data-action="accept"]').click()
        counts.clicks += 1
        _gone(page, url)


def new_by_keyboard(page: Page, base: str, ids: list[int], counts: Counts) -> None:
    page.keyboard.press("o")
    counts.keys += 1
    for task_id in ids:
        _shown(page, base, task_id)
        url = page.url
        page.keyboard.press("a")
        counts.keys += 1
        _gone(page, url)


WAYS: dict[str, Callable[[Page, str, list[int], Counts], None]] = {
    "today: inbox, task, Accept, inbox (mouse)": today,
    "new: Accept and next (mouse)": new_by_mouse,
    "new: o, then a per task (keyboard)": new_by_keyboard,
}


def _round(page: Page, base: str, app: object, image: Path, way: Callable[..., None]) -> tuple[float, Counts]:
    store = app.state.store  # type: ignore[attr-defined]
    ids = seed_review_tasks(store, image, TASKS)
    _inbox(page, base)
    counts = Counts()
    start = time.perf_counter()
    way(page, base, ids, counts)
    seconds = time.perf_counter() - start
    left = [i for i in ids if TaskStore(store.engine).get(i).status != "done"]
    if left:
        raise SystemExit(f"tasks {left} were not cleared")
    return seconds, counts


def run(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(f"sqlite:///{folder}/review.db", Path(folder) / "no-flows")
        add_user(app.state.store.engine, "bench", "staff", PASSWORD, actor="bench")
        image = review_page_image(Path(folder) / "page.png")
        base, server, thread = _serve(app)
        seconds: dict[str, list[float]] = {name: [] for name in WAYS}
        counts: dict[str, Counts] = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                _sign_in(page, base)
                _round(page, base, app, image, new_by_keyboard)  # warm-up: templates, SQLite, Chromium cache
                for n in range(rounds):
                    order = list(WAYS.items())[n % 3:] + list(WAYS.items())[:n % 3]  # take turns
                    for name, way in order:
                        took, counts[name] = _round(page, base, app, image, way)
                        seconds[name].append(took / TASKS)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
        _report(seconds, counts, rounds)


def _report(seconds: dict[str, list[float]], counts: dict[str, Counts], rounds: int) -> None:
    baseline = statistics.median(seconds[next(iter(WAYS))])
    print(f"{TASKS} form reviews from the inbox, median of {rounds} rounds per way, ways taking turns")
    print(f"{'way':<44} {'clicks/task':>11} {'keys/task':>9} {'s/task':>7} {'vs today':>8}")
    for name, found in seconds.items():
        median = statistics.median(found)
        c = counts[name]
        print(f"{name:<44} {c.clicks / TASKS:11.1f} {c.keys / TASKS:9.1f} {median:7.3f} {median / baseline:7.2f}x")
