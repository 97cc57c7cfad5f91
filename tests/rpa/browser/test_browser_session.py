"""Browser sessions: one Chromium per run, reused, closed at run end or when idle, replaced
when it dies; callable from any thread."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from examples.case_system import RunningServer
from rpa.browser import BrowserClosed, BrowserConfig, SessionManager, actions
from rpa.browser.listener import BrowserListener
from rpa.errors import ApplicationError
from tests.support.waiting import eventually


def _value(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return page.input_value(selector)


def test_session_is_reused_by_the_same_run_and_separate_per_run(
        manager: SessionManager, case_system: RunningServer) -> None:
    first = manager.session("run-a")
    first.run(actions.goto, f"{case_system.url}/login", what="open")
    first.run(actions.fill, "#username", "officer", what="fill")
    again = manager.session("run-a")
    assert again is first
    assert again.run(_value, "#username", what="read") == "officer"
    other = manager.session("run-b")
    assert other is not first and manager.keys() == ["run-a", "run-b"]


def test_session_closes_when_its_run_ends(manager: SessionManager) -> None:
    session = manager.session("run-ending")
    BrowserListener(manager).end_run("run-ending", "success", None)
    assert session.closed and not manager.has("run-ending")


def test_session_closes_after_idle_timeout(config: BrowserConfig) -> None:
    manager = SessionManager(replace(config, idle_timeout=0.2))
    try:
        session = manager.session("run-idle")
        eventually(lambda: not manager.has("run-idle"), what="the idle session to be closed")
        assert session.closed and not manager.has("run-idle")
    finally:
        manager.close_all()


def test_session_whose_browser_died_is_replaced(manager: SessionManager,
                                                case_system: RunningServer) -> None:
    dead = manager.session("run-crash")
    dead.run(lambda page: page.context.browser.close(), what="crash")
    with pytest.raises(BrowserClosed) as caught:
        dead.run(actions.goto, f"{case_system.url}/login", what="browser.open")
    assert dead.broken and caught.value.retryable
    fresh = manager.session("run-crash")
    assert fresh is not dead
    assert fresh.run(actions.goto, f"{case_system.url}/login", what="open")["status"] == 200


def test_session_answers_calls_from_other_threads(manager: SessionManager,
                                                  case_system: RunningServer) -> None:
    session = manager.session("run-threads")
    titles: list[str] = []
    workers = [threading.Thread(target=lambda: titles.append(
        session.run(actions.goto, f"{case_system.url}/login", what="open")["title"]))
        for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(titles) == 3 and all(t.startswith("Sign in") for t in titles)


def test_session_that_cannot_start_chromium_is_an_application_error(
        config: BrowserConfig) -> None:
    manager = SessionManager(replace(config, executable="/nonexistent/chromium"))
    with pytest.raises(ApplicationError, match="cannot start Chromium at /nonexistent/chromium"):
        manager.session("run-nobrowser")
    assert not manager.has("run-nobrowser")
