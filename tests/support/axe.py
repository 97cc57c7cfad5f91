"""Accessibility checks with axe-core (Deque's engine, MPL-2.0; the copy shipped inside the
`axe-playwright-python` wheel, so nothing is downloaded) run in the page under test."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from playwright.sync_api import Page

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def violations(page: Page, tags: list[str] = WCAG_AA) -> list[str]:
    """One line per WCAG A/AA rule the page breaks: rule, impact, and the first offenders."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(_axe_source())  # not a <script> tag: the console's CSP forbids inline scripts
    result: dict[str, Any] = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                                           tags)
    return [_line(v) for v in result["violations"]]


def _line(violation: dict[str, Any]) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {', '.join(targets)}"
