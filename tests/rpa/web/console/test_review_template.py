"""Issue 13, item 4: a form no template matched shows its label/value pairs with their boxes,
and the reviewer saves them as a new template in one go; a name taken is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bots.form_processing.template import SITE_ENV, load_template
from rpa.store import TaskStore
from tests.rpa.web.console.browsing import Server, shot, sign_in
from tests.rpa.web.console.seeding import review_page_image, seed_generic_task
from tests.support.axe import violations


def test_review_generic_pairs_saved_as_a_template(console: Server, page: Page, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SITE_ENV, str(tmp_path / "site"))  # the server runs in this process
    task_id = seed_generic_task(console.app.state.store, review_page_image(console.root / "generic.png"))
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/tasks/{task_id}")
    expect(page.get_by_text("No template matches this form: these label and value pairs")).to_be_visible()
    expect(page.locator("rect.box.p-value")).to_have_count(5)
    expect(page.get_by_label("Name of Applicant", exact=True)).to_have_value("CHAN Tai-man")
    save = page.get_by_test_id("save-template")
    save.get_by_label("Keep in the template: Date of Birth").uncheck()
    save.get_by_label("Label: HKID Card No").fill("HKID Card No.")
    save.get_by_label("Kind of value: HKID Card No").select_option("hkid")
    save.get_by_label("Name of the new template").fill("pet_licence")
    shot(page, "review-generic")
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core)
    save.get_by_role("button", name="Save as template").click()
    expect(page.get_by_role("status")).to_contain_text("Template 'pet_licence' saved")
    made = load_template(tmp_path / "site" / "pet_licence.yaml")
    assert [(f.key, f.type, f.label.en) for f in made.fields] == [
        ("name_of_applicant", "text", "Name of Applicant"), ("hkid_card_no", "hkid", "HKID Card No."),
        ("telephone", "text", "Telephone"), ("e_mail", "text", "E-mail")]
    page.get_by_test_id("save-template").get_by_label("Name of the new template").fill("pet_licence")
    page.get_by_test_id("save-template").get_by_role("button", name="Save as template").click()
    taken = "A template named 'pet_licence' already exists: choose another name."
    expect(page.get_by_role("alert")).to_have_text(taken)
    TaskStore(console.app.state.store.engine).complete(task_id, {}, by="test")  # later tests see the inbox as it was
