"""Helpers the console's browser tests share: signing in, screenshots, the server record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[4]
ARTIFACTS = ROOT / "test-artifacts" / "console"
PASSWORD = "a long enough password"


@dataclass
class Server:
    url: str
    app: FastAPI
    root: Path


def sign_in(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/console/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/console/")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
