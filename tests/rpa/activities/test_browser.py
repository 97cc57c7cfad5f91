"""The `browser.*` activities in real flows: a durable run keys a case into the sample case
system through real Chromium, and the case system's validation routes the run."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from examples.case_system import RunningServer, serve
from rpa.activities import Context
from rpa.activities import browser as b
from rpa.browser import BrowserConfig, sessions
from rpa.browser.listener import BrowserListener
from rpa.engine import Runner
from rpa.errors import BusinessError, FlowError
from rpa.flow import CompiledFlow
from rpa.store import RunStore

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts" / "rpa-activities-browser"
PASSWORD = "s3cret-Pass!"

if not Path(BrowserConfig().executable).exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)

KEYING = """
flow: browser_keying
inputs:
  base: {type: str}
  ref: {type: str}
  hkid: {type: str}
secrets: [case_password]
states:
  sign_in:
    do:
      - activity: browser.login
        with: {url: "{{ inputs.base }}/login", username: officer,
               password: "{{ secrets.case_password }}", submit_selector: "#sign-in",
               expect: "#signed-in-as", errors: "#login-error"}
    next: key
  key:
    do:
      - {activity: browser.open, with: {url: "{{ inputs.base }}/cases/new"}}
      - {activity: browser.fill, with: {selector: "#form_ref", value: "{{ inputs.ref }}"}}
      - {activity: browser.select,
         with: {selector: "#licence_type", label: "Food factory 食物製造廠"}}
      - {activity: browser.fill, with: {selector: "#applicant_name", value: "李小龍 Lee Siu Lung"}}
      - {activity: browser.fill, with: {selector: "#hkid", value: "{{ inputs.hkid }}"}}
      - {activity: browser.fill, with: {selector: "#date_of_birth", value: "27/11/1970"}}
      - {activity: browser.fill, with: {selector: "#phone", value: 23456789}}
      - {activity: browser.fill, with: {selector: "#business_name", value: "Dragon Buns"}}
      - {activity: browser.fill, with: {selector: "#premises_address", value: "3 Shek Pai Wan Rd"}}
      - {activity: browser.check, with: {selector: "#declaration"}}
      - {activity: browser.click, with: {selector: "#submit", expect: "#case-number",
                                         errors: "#form-errors"}}
      - {activity: browser.text, with: {selector: "#case-number"}, as: case_number}
      - {activity: browser.screenshot, with: {name: case}, as: shot}
    catch:
      - {error: BusinessError, goto: rejected, as: problem}
    next: done
  done: {final: success}
  rejected: {final: business_exception}
"""


@pytest.fixture(scope="module")
def case_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    sessions.configure(BrowserConfig(artifacts=ARTIFACTS, timeout=10))
    with serve(tmp_path_factory.mktemp("case_system") / "cases.db",
               users={"officer": PASSWORD}) as server:
        yield server
    sessions.close_all()


def _runner(store: RunStore) -> Runner:
    return Runner(store, BrowserListener(),
                  environ={"SMARTLAB_SECRET_CASE_PASSWORD": PASSWORD})


def test_browser_activities_key_a_case_in_a_durable_run(
        store: RunStore, compiled: Callable[[str], CompiledFlow], case_system: RunningServer,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    inputs = {"base": case_system.url, "ref": "ACT-0001", "hkid": "C668668(9)"}
    result = _runner(store).start(compiled(KEYING), inputs)
    assert result.ok, result.error
    number = result.vars["case_number"]
    assert re.fullmatch(r"LA-\d{4}-\d{6}", number)
    case = case_system.store.get(number)
    assert (case["form_ref"], case["licence_type"], case["phone"]) == (
        "ACT-0001", "food_factory", "23456789")
    assert Path(result.vars["shot"]).stat().st_size > 0
    assert not sessions.has(result.run_id), "the run's browser closes when the run ends"
    stored = repr(store.events(result.run_id)) + repr(store.get(result.run_id))
    assert PASSWORD not in stored and PASSWORD not in caplog.text


def test_browser_click_routes_the_sites_validation_as_business_exception(
        store: RunStore, compiled: Callable[[str], CompiledFlow],
        case_system: RunningServer) -> None:
    inputs = {"base": case_system.url, "ref": "ACT-0002", "hkid": "C668668(8)"}
    result = _runner(store).start(compiled(KEYING), inputs)
    assert result.status == "business_exception"
    assert "valid HKID number" in result.vars["problem"]["message"]
    assert case_system.store.find("ACT-0002") == []


def test_browser_login_with_wrong_password_is_business_exception(
        store: RunStore, compiled: Callable[[str], CompiledFlow],
        case_system: RunningServer) -> None:
    catch = "catch: [{error: BusinessError, goto: rejected, as: problem}]"
    flow = KEYING.replace("next: key", f"{catch}\n    next: key", 1)
    runner = Runner(store, BrowserListener(), environ={"SMARTLAB_SECRET_CASE_PASSWORD": "wrong"})
    result = runner.start(compiled(flow), {"base": case_system.url, "ref": "ACT-3", "hkid": "x"})
    assert result.status == "business_exception"
    assert "Wrong user name or password" in result.vars["problem"]["message"]


def test_browser_fill_without_selector_fails_when_the_flow_is_compiled(
        compiled: Callable[[str], CompiledFlow]) -> None:
    with pytest.raises(FlowError, match="selector"):
        compiled("""
        flow: bad
        states:
          s:
            do: [{activity: browser.fill, with: {value: x}}]
            next: done
          done: {final: success}
        """)


def test_browser_upload_text_and_select_on_a_local_page(tmp_path: Path, case_system: RunningServer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_FILE_ROOTS", str(tmp_path))  # uploads come from a declared root
    ctx = Context(run_id="activities-upload", flow="t", state="s", step=0)
    page = tmp_path / "page.html"
    page.write_text("<select id=s><option value=a>Alpha</option><option value=b>Beta</option>"
                    "</select><input type=file id=f multiple><p class=n>one</p><p class=n>two</p>")
    attachment = tmp_path / "form.pdf"
    attachment.write_bytes(b"%PDF-1.4\n")
    try:
        b.open_(ctx, page.as_uri())
        assert b.upload(ctx, "#f", [attachment]) == [str(attachment)]
        attached = sessions.session(ctx.run_id).run(
            lambda page: page.eval_on_selector("#f", "e => [...e.files].map(f => f.name)"),
            what="read files")
        assert attached == ["form.pdf"]
        assert b.select(ctx, "#s", label="Beta") == ["b"]
        assert b.text(ctx, ".n", all=True) == ["one", "two"]
        with pytest.raises(BusinessError, match="exactly one"):
            b.select(ctx, "#s")
        with pytest.raises(BusinessError, match="file not found"):
            b.upload(ctx, "#f", [tmp_path / "missing.pdf"])
        with pytest.raises(BusinessError, match="outside the declared roots"):
            b.upload(ctx, "#f", [Path("/etc/passwd")])
    finally:
        assert b.close(ctx)
