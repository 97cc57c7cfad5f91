"""Keying forms into the sample case system with real Chromium: new cases, the duplicate
check, the system's validation, and a keying process killed between submit and read-back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bots.form_processing.keying import (
    KEYING_ACTIVITIES,
    SAMPLE_TARGET,
    create_case,
    find_case,
    load_target,
)
from examples.case_system import RunningServer, serve
from rpa.activities import Context, builtin_registry
from rpa.activities.registry import specs_of
from rpa.browser import BrowserConfig, sessions
from rpa.browser.listener import BrowserListener
from rpa.engine import Runner
from rpa.errors import BusinessError
from rpa.flow import CompiledFlow, compile_flow, load_flow
from rpa.store import RunStore

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts" / "bots-keying"
PASSWORD = "officer-pass"
FORM = {
    "form_ref": "KEY-0001", "licence_type": "general_restaurant", "applicant_name": "陳大文 Chan Tai Man",
    "hkid": "A123456(3)", "date_of_birth": "1980-05-11", "phone": "9123 4567",
    "email": "taiman@example.com", "business_name": "大文茶餐廳 Tai Man Cafe",
    "premises_address": "G/F, 1 Queen's Road Central, Hong Kong", "declaration": True,
}
FLOW = """
flow: key_form
inputs:
  url: {type: str}
  form: {type: dict}
secrets: [case_password]
states:
  key:
    do:
      - activity: case.create
        with: {url: "{{ inputs.url }}", username: officer,
               password: "{{ secrets.case_password }}", form: "{{ inputs.form }}", timeout: 4}
        as: case
    retry: {max_attempts: 3, backoff: 100ms}
    next: done
  done: {final: success}
"""
DRIVER = """
import json, sys
from bots.form_processing.keying import KEYING_ACTIVITIES
from rpa.activities import builtin_registry
from rpa.activities.registry import specs_of
from rpa.engine import Runner
from rpa.flow import compile_flow, load_flow
from rpa.store import RunStore
db, flow_path, run_id, inputs = sys.argv[1:5]
registry = builtin_registry().extended(specs_of(KEYING_ACTIVITIES))
compiled = compile_flow(*load_flow(flow_path), registry)
print(Runner(RunStore(db)).start(compiled, json.loads(inputs), run_id=run_id).status)
"""

if not Path(BrowserConfig().executable).exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def case_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    sessions.configure(BrowserConfig(artifacts=ARTIFACTS, timeout=10))
    with serve(tmp_path_factory.mktemp("case_system") / "cases.db") as server:
        yield server
    sessions.close_all()


@pytest.fixture
def ctx(request: pytest.FixtureRequest) -> Iterator[Context]:
    context = Context(run_id=f"keying-{request.node.name}", flow="key_form", state="key", step=0)
    yield context
    sessions.close(context.run_id)


def _args(server: RunningServer) -> tuple[str, str, str]:
    return server.url, "officer", PASSWORD


def _compiled(tmp_path: Path) -> CompiledFlow:
    path = tmp_path / "key_form.yaml"
    path.write_text(FLOW, encoding="utf-8")
    return compile_flow(*load_flow(path), builtin_registry().extended(specs_of(KEYING_ACTIVITIES)))


def test_keying_activities_are_listed_by_name() -> None:
    names = sorted(f.__activity__.name for f in KEYING_ACTIVITIES)
    assert names == ["case.create", "case.find"]
    assert all(f.__activity__.effect == (f is create_case) for f in KEYING_ACTIVITIES)


def test_case_create_keys_a_new_form_and_reads_back_its_number(
        ctx: Context, case_system: RunningServer) -> None:
    result = create_case(ctx, *_args(case_system), FORM)
    assert result["created"] and result["form_ref"] == "KEY-0001"
    [case] = case_system.store.find("KEY-0001")
    assert case["case_no"] == result["case_number"]
    assert (case["hkid"], case["phone"]) == ("A123456(3)", "91234567")
    assert case["created_by"] == "officer"


def test_case_create_twice_returns_the_existing_case(ctx: Context,
                                                     case_system: RunningServer) -> None:
    form = {**FORM, "form_ref": "KEY-TWICE"}
    first = create_case(ctx, *_args(case_system), form)
    second = create_case(ctx, *_args(case_system), form)
    assert (first["created"], second["created"]) == (True, False)
    assert second["case_number"] == first["case_number"]
    assert len(case_system.store.find("KEY-TWICE")) == 1


def test_case_find_knows_keyed_forms_only(ctx: Context, case_system: RunningServer) -> None:
    number = create_case(ctx, *_args(case_system), {**FORM, "form_ref": "KEY-FIND"})["case_number"]
    assert find_case(ctx, *_args(case_system), "key-find") == number
    assert find_case(ctx, *_args(case_system), "KEY-NEVER-KEYED") is None


def test_case_create_accepts_an_extraction_result(ctx: Context, case_system: RunningServer) -> None:
    extracted = {"form_type": "licence_application", "fields": [
        {"key": k, "value": v, "confidence": 0.99} for k, v in
        {**FORM, "form_ref": "KEY-EXTRACTED", "declaration": "☑"}.items()]}
    assert create_case(ctx, *_args(case_system), extracted)["created"]
    assert len(case_system.store.find("KEY-EXTRACTED")) == 1


def test_case_create_reports_the_systems_validation_as_business_error(
        ctx: Context, case_system: RunningServer) -> None:
    form = {**FORM, "form_ref": "KEY-BAD", "hkid": "A123456(4)", "declaration": False}
    with pytest.raises(BusinessError, match="valid HKID number") as caught:
        create_case(ctx, *_args(case_system), form)
    assert "declaration" in str(caught.value)
    assert case_system.store.find("KEY-BAD") == []


def test_case_create_with_an_option_the_system_lacks_is_business_error(
        ctx: Context, case_system: RunningServer) -> None:
    form = {**FORM, "form_ref": "KEY-OPTION", "licence_type": "casino"}
    with pytest.raises(BusinessError, match="#licence_type has no option 'casino'"):
        create_case(ctx, *_args(case_system), form)
    assert find_case(ctx, *_args(case_system), "KEY-OPTION") is None


def test_case_create_without_a_reference_is_business_error(ctx: Context,
                                                           case_system: RunningServer) -> None:
    with pytest.raises(BusinessError, match="no 'form_ref'"):
        create_case(ctx, *_args(case_system), {**FORM, "form_ref": " "})


def test_case_create_with_refused_credentials_is_business_error_without_the_password(
        ctx: Context, case_system: RunningServer) -> None:
    with pytest.raises(BusinessError, match="Wrong user name or password") as caught:
        create_case(ctx, case_system.url, "officer", "guess-Me-123", {**FORM, "form_ref": "K-PW"})
    assert "guess-Me-123" not in str(caught.value)


def test_sample_target_file_matches_the_built_in_target() -> None:
    assert load_target(ROOT / "examples" / "case_system" / "target.yaml") == SAMPLE_TARGET


def test_broken_target_file_is_business_error(tmp_path: Path) -> None:
    broken = tmp_path / "target.yaml"
    broken.write_text("fields: {form_ref: {kind: text}}\n")
    with pytest.raises(BusinessError, match="is not valid"):
        load_target(broken)


@pytest.fixture
def slow_case_system(tmp_path: Path) -> Iterator[RunningServer]:
    """Saves a case at once but holds the answer a minute: the window between submit and
    read-back, where a crash or a lost answer used to mean keying the form twice."""
    with serve(tmp_path / "slow.db", submit_delay=60) as server:
        yield server


def _wait_for_case(server: RunningServer, ref: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not server.store.find(ref):
        assert proc.poll() is None, f"keying ended before submitting: {proc.communicate()}"
        assert time.monotonic() < deadline, "the form was never submitted"
        time.sleep(0.05)


@pytest.mark.slow
def test_keying_killed_between_submit_and_read_back_resumes_without_duplicate(
        tmp_path: Path, slow_case_system: RunningServer) -> None:
    flow = tmp_path / "key_form.yaml"
    flow.write_text(FLOW, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'runs.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SMARTLAB_SECRET_CASE_PASSWORD": PASSWORD,
           "SMARTLAB_ARTIFACTS": str(ARTIFACTS)}
    inputs = {"url": slow_case_system.url, "form": {**FORM, "form_ref": "KEY-KILLED"}}
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, db, str(flow), "run-killed",
                             json.dumps(inputs)], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for_case(slow_case_system, "KEY-KILLED", proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    store = RunStore(db)
    assert store.get("run-killed").status == "running", "killed before the effect was confirmed"
    runner = Runner(store, BrowserListener(), environ={"SMARTLAB_SECRET_CASE_PASSWORD": PASSWORD})
    result = runner.resume("run-killed", _compiled(tmp_path))
    assert result.ok, result.error
    [case] = slow_case_system.store.find("KEY-KILLED")
    assert result.vars["case"] == {"case_number": case["case_no"], "form_ref": "KEY-KILLED",
                                   "created": False}
    store.close()


@pytest.mark.slow
def test_keying_retried_after_a_lost_answer_finds_the_case_it_made(
        tmp_path: Path, store: RunStore, slow_case_system: RunningServer) -> None:
    runner = Runner(store, BrowserListener(), environ={"SMARTLAB_SECRET_CASE_PASSWORD": PASSWORD})
    inputs: dict[str, Any] = {"url": slow_case_system.url, "form": {**FORM, "form_ref": "KEY-LOST"}}
    result = runner.start(_compiled(tmp_path), inputs)
    assert result.ok, result.error
    statuses = [e["status"] for e in store.events(result.run_id) if e["kind"] == "step"]
    assert statuses == ["retry", "ok"], "the submit's answer timed out, then the retry found it"
    assert result.vars["case"]["created"] is False
    assert len(slow_case_system.store.find("KEY-LOST")) == 1
