"""Issue 7, acceptance 1, with the shipped form-processing flow: a staff user uploads a scanned
form in the console, the bot reads it and parks it for review, the user corrects a field and
accepts, and the run finishes with the case created in the sample case system."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from examples.case_system import serve as case_system
from rpa.auth import add_user
from rpa.orchestrator import Catalog, Scheduler, Worker
from rpa.store import RunStore
from rpa.web import create_app
from tests.rpa.web.console.browsing import PASSWORD, ROOT, Server, shot, sign_in
from tests.support.axe import violations


@pytest.fixture(scope="module")
def scanned_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    subprocess.run([sys.executable, str(ROOT / "examples" / "forms" / "generate.py"), "--type",
                    "licence_application", "--count", "1", "--seed", "2", str(out)], check=True,
                   capture_output=True)
    return out / "licence_application-000-scan.pdf"


@pytest.fixture(scope="module")
def form_console(tmp_path_factory: pytest.TempPathFactory, serve) -> Iterator[tuple[Server, Path]]:  # noqa: ANN001
    root = tmp_path_factory.mktemp("form-console")
    cases = case_system(root / "cases.db")
    settings = {"SMARTLAB_SECRET_CASE_PASSWORD": "officer-pass",
                "SMARTLAB_INPUT_FORM_PROCESSING__CASE_SYSTEM": cases.url,
                "SMARTLAB_INPUT_FORM_PROCESSING__THRESHOLD": "0.999"}  # every read field to review
    saved_env, saved_cwd = {k: os.environ.get(k) for k in settings}, Path.cwd()
    os.environ.update(settings)
    os.chdir(root)  # the flow watches inbox/forms and archives under the working folder
    url = f"sqlite:///{root / 'console.db'}"
    app: FastAPI = create_app(url, ROOT / "flows")
    add_user(app.state.store.engine, "clerk", "staff", PASSWORD, actor="test")
    catalog, stop = Catalog.load(ROOT / "flows"), threading.Event()
    threads = [threading.Thread(target=Worker(RunStore(url), catalog, stop=stop).run_forever,
                                kwargs={"poll": 0.1}, daemon=True),
               threading.Thread(target=Scheduler(RunStore(url), catalog, stop=stop).run_forever,
                                kwargs={"interval": 0.2}, daemon=True)]
    for t in threads:
        t.start()
    try:
        yield Server(serve(app), app, root), root / "cases.db"
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        cases.stop()
        os.chdir(saved_cwd)
        for k, v in saved_env.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)


def test_console_form_upload_review_and_case_created(form_console, scanned_form: Path, page: Page) -> None:  # noqa: ANN001
    console, cases_db = form_console
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/upload")
    page.get_by_label("Flow").select_option("form_processing")
    page.get_by_label("Files").set_input_files(str(scanned_form))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text(scanned_form.name)
    page.goto(f"{console.url}/console/inbox")
    task = page.get_by_role("link", name="Check licence_application form licence_application-000-scan")
    expect(task).to_have_count(1, timeout=120_000)  # OCR of a scan takes a few seconds here
    task.click()
    expect(page.locator("rect.box").first).to_be_visible()
    business = page.get_by_label("business_name")
    expect(business).to_have_value("Happy Noodle Shop")
    business.fill("Happy Noodle Shop Limited")
    shot(page, "form-review")
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core)
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "success", timeout=120_000)
    shot(page, "form-run-finished")
    with sqlite3.connect(cases_db) as db:
        rows = db.execute("select form_ref, business_name, applicant_name from cases").fetchall()
    assert rows == [("licence_application-000-scan", "Happy Noodle Shop Limited", "LEE Mei Ling")]
    assert (console.root / "inbox" / "forms" / "processed" / scanned_form.name).exists()
