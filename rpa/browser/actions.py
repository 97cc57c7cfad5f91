"""What can be done to a page, as plain functions of a Playwright `Page`.

They run inside a `BrowserSession` (which translates Playwright's errors), return
JSON-ready values, and raise `PageRejected` when the page shows an error message.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rpa.browser.errors import PageRejected

if TYPE_CHECKING:  # the page comes from the session; importing Playwright here would slow start-up
    from playwright.sync_api import Page

WaitUntil = Literal["load", "domcontentloaded", "networkidle", "commit"]
ElementState = Literal["visible", "hidden", "attached", "detached"]


def where(page: Page) -> dict[str, Any]:
    return {"url": page.url, "title": page.title()}


def goto(page: Page, url: str, wait_until: WaitUntil = "load") -> dict[str, Any]:
    response = page.goto(url, wait_until=wait_until)
    return {**where(page), "status": response.status if response is not None else None}


def fill(page: Page, selector: str, value: str) -> str:
    page.locator(selector).fill(value)
    return selector


def select(page: Page, selector: str, value: str | None = None,
           label: str | None = None) -> list[str]:
    """Choose an option by its value or its visible label; returns the selected values.
    An option the list does not have is bad data (PageRejected), not a wait until timeout."""
    box = page.locator(selector)
    wanted = {"label": label} if label is not None else {"value": value}
    options = box.locator("option").evaluate_all(
        "(os, k) => os.map(o => k === 'label' ? o.label : o.value)", next(iter(wanted)))
    if next(iter(wanted.values())) not in options:
        shown = ", ".join(repr(o) for o in options if o)
        raise PageRejected(f"{selector} has no option {next(iter(wanted.values()))!r} (it offers {shown})")
    return box.select_option(**wanted)


def check(page: Page, selector: str, checked: bool = True) -> bool:
    page.locator(selector).set_checked(checked)
    return checked


def upload(page: Page, selector: str, paths: list[str]) -> list[str]:
    page.locator(selector).set_input_files(paths)
    return paths


def click(page: Page, selector: str, expect: str | None = None,
          errors: str | None = None) -> dict[str, Any]:
    """Click, then (when told) wait until `expect` shows, failing if `errors` shows instead."""
    page.locator(selector).click()
    settle(page, expect, errors)
    return where(page)


def settle(page: Page, expect: str | None, errors: str | None) -> None:
    """Wait for the outcome of an action: `expect` on success, `errors` when refused."""
    if expect and errors:
        page.locator(expect).or_(page.locator(errors)).first.wait_for(state="visible")
    elif expect:
        page.locator(expect).first.wait_for(state="visible")
    else:
        page.wait_for_load_state()
    if errors:
        refuse_if_shown(page, errors)


def refuse_if_shown(page: Page, errors: str) -> None:
    shown = [t.strip() for t in page.locator(errors).all_inner_texts() if t.strip()]
    if shown and page.locator(errors).first.is_visible():
        raise PageRejected("the page refused it: " + " | ".join(" ".join(t.split()) for t in shown))


def text(page: Page, selector: str, many: bool = False) -> str | list[str]:
    """Visible text of the element (waiting for it), or of every match when `many`."""
    if many:
        page.locator(selector).first.wait_for(state="attached")
        return [t.strip() for t in page.locator(selector).all_inner_texts()]
    return page.locator(selector).inner_text().strip()


def count(page: Page, selector: str) -> int:
    return page.locator(selector).count()


def wait(page: Page, selector: str, state: ElementState = "visible",
         errors: str | None = None) -> bool:
    """Wait for an element to reach `state`; fail early if `errors` shows first."""
    target = page.locator(selector).first
    if errors and state == "visible":
        target.or_(page.locator(errors).first).first.wait_for(state="visible")
        refuse_if_shown(page, errors)
    else:
        target.wait_for(state=state)
    return True


def screenshot(page: Page, path: str, full_page: bool = True) -> str:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=full_page)
    return path


def login(page: Page, url: str, username: str, password: str, fields: dict[str, str],
          expect: str | None = None, errors: str | None = None) -> dict[str, Any]:
    """Open the sign-in page, type the credentials, submit, and check it was accepted.

    `fields` names the selectors: `username`, `password`, `submit`.
    """
    page.goto(url)
    page.locator(fields["username"]).fill(username)
    page.locator(fields["password"]).fill(password)
    page.locator(fields["submit"]).click()
    settle(page, expect, errors)
    return where(page)
