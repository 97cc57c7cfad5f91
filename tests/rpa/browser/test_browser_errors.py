"""The Playwright boundary: each kind of failure becomes the SmartLab error that decides
what happens next, with evidence kept and secrets kept out."""

from __future__ import annotations

import socket
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from examples.case_system import RunningServer
from rpa.browser import (
    AmbiguousSelector,
    BrowserClosed,
    BrowserTimeout,
    ElementMissing,
    PageRejected,
    SessionManager,
    actions,
)
from rpa.browser.errors import scrub, translate
from rpa.errors import ApplicationError, BusinessError

LOGIN_FIELDS = {"username": "#username", "password": "#password", "submit": "#sign-in"}


@pytest.mark.parametrize(("exc", "kind"), [
    (PlaywrightError("Target page, context or browser has been closed"), BrowserClosed),
    (PlaywrightError("Browser has disconnected"), BrowserClosed),
    (PlaywrightError("Locator.fill: Error: strict mode violation: resolved to 3 elements"),
     AmbiguousSelector),
    (PlaywrightTimeout("Page.goto: Timeout 30000ms exceeded."), BrowserTimeout),
    (PlaywrightError("Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/"),
     ApplicationError),
])
def test_translate_maps_playwright_failures_without_a_page(exc: PlaywrightError,
                                                           kind: type) -> None:
    assert type(translate(exc, "step")) is kind


def test_scrub_masks_every_secret() -> None:
    assert scrub("typed hunter2 into #password for hunter2", ["hunter2", ""]) == \
        "typed *** into #password for ***"


@pytest.fixture
def signed_out(manager: SessionManager, case_system: RunningServer):  # type: ignore[no-untyped-def]
    session = manager.session("run-errors")
    session.run(actions.goto, f"{case_system.url}/login", what="open")
    return session


@pytest.mark.parametrize(("action", "args", "selector", "kind", "base"), [
    (actions.fill, ("#no-such-field", "x"), "#no-such-field", ElementMissing, BusinessError),
    (actions.fill, ("input[name=next]", "x"), "input[name=next]", BrowserTimeout,
     ApplicationError),
    (actions.fill, ("input", "x"), "input", AmbiguousSelector, BusinessError),
    (actions.text, ("#case-number",), "#case-number", ElementMissing, BusinessError),
])
def test_failed_action_is_translated_from_the_playwright_error(
        signed_out, action, args, selector, kind, base) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(kind) as caught:
        signed_out.run(action, *args, what="step", selector=selector, timeout=1)
    assert isinstance(caught.value, base)
    assert isinstance(caught.value.__cause__, PlaywrightError)


def test_unreachable_site_is_an_application_error(manager: SessionManager) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    session = manager.session("run-refused")
    with pytest.raises(ApplicationError, match="ERR_CONNECTION_REFUSED") as caught:
        session.run(actions.goto, f"http://127.0.0.1:{port}/", what="browser.open")
    assert caught.value.retryable and not isinstance(caught.value, BusinessError)


def test_failed_action_leaves_a_screenshot_and_a_trace(signed_out) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ElementMissing) as caught:
        signed_out.run(actions.fill, "#missing", "x", what="browser.fill #missing",
                       selector="#missing", timeout=1)
    kept = [Path(p) for p in caught.value.artifacts]
    assert [p.suffix for p in kept] == [".png", ".zip"] and all(p.stat().st_size for p in kept)
    assert str(kept[0]) in str(caught.value)


def test_page_validation_message_is_a_business_error_with_its_text(
        signed_out, case_system: RunningServer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PageRejected, match="Wrong user name or password"):
        signed_out.run(actions.login, f"{case_system.url}/login", "officer", "not-it",
                       LOGIN_FIELDS, None, "#login-error", what="login", secret=("not-it",))


def test_typed_password_stays_out_of_errors_and_traces(
        signed_out, case_system: RunningServer) -> None:  # type: ignore[no-untyped-def]
    password = "officer-pass"
    signed_out.run(actions.login, f"{case_system.url}/login", "officer", password, LOGIN_FIELDS,
                   "#signed-in-as", "#login-error", what="login", secret=(password,))
    signed_out.run(actions.goto, f"{case_system.url}/cases/new", what="open")
    with pytest.raises(ElementMissing) as caught:
        signed_out.run(actions.fill, f"#{password}", password, what="fill", timeout=1,
                       selector=f"#{password}", secret=(password,))
    assert password not in str(caught.value)
    signed_out.run(actions.goto, f"{case_system.url}/cases", what="open")  # tracing resumes
    with pytest.raises(ElementMissing) as later:
        signed_out.run(actions.click, "#nothing-here", what="click", selector="#nothing-here",
                       timeout=1)
    traces = [Path(p) for p in later.value.artifacts if p.endswith(".zip")]
    assert traces, "the later failure should keep a trace"
    for trace in traces:
        with zipfile.ZipFile(trace) as archive:
            for name in archive.namelist():
                assert password.encode() not in archive.read(name), f"{trace}:{name}"
