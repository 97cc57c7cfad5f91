"""Acceptance 2: roles decide what a person reaches; forged POSTs and password guessing fail."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.rpa.web.console.browsing import Server, shot, sign_in

ADMIN_ONLY = ("/console/users", "/console/secrets")


@pytest.mark.parametrize("path", ADMIN_ONLY)
def test_console_staff_gets_403_on_admin_pages(console: Server, page: Page, path: str) -> None:
    sign_in(page, console.url, "clerk")
    response = page.goto(f"{console.url}{path}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_role("navigation").first.get_by_role("link", name="Runs")).to_be_visible()
    shot(page, f"forbidden-{path.rsplit('/', 1)[1]}")


def test_console_staff_nav_hides_admin_pages(console: Server, page: Page) -> None:
    sign_in(page, console.url, "clerk")
    nav = page.get_by_role("navigation").first
    expect(nav.get_by_role("link", name="Runs")).to_be_visible()
    for hidden in ("Users", "Secrets", "Audit log"):
        expect(nav.get_by_role("link", name=hidden)).to_have_count(0)


def test_console_forged_post_without_csrf_is_refused(console: Server, page: Page) -> None:
    sign_in(page, console.url, "boss")  # the session cookie is sent: only the token is missing
    before = console.app.state.store.count()
    forged = page.request.post(f"{console.url}/console/flows/review_demo/start",
                               form={"applicant": "forged"})
    assert forged.status == 403 and "CSRF" in forged.text()
    wrong = page.request.post(f"{console.url}/console/secrets", form={"name": "x", "value": "y", "csrf": "guess"})
    assert wrong.status == 403
    assert console.app.state.store.count() == before


def test_console_pages_need_a_session(console: Server, page: Page) -> None:
    page.goto(f"{console.url}/console/runs")
    assert "/console/login?next=/console/runs" in page.url
    before = console.app.state.store.count()
    refused = page.request.post(f"{console.url}/console/flows/review_demo/start", form={"applicant": "x"},
                                max_redirects=0)
    assert refused.status == 303 and console.app.state.store.count() == before
