"""The `smartlab` command as a user types it: real processes, real store, exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
BROKEN = ROOT / "tests" / "rpa" / "flow" / "broken"
HELLO = ROOT / "flows" / "examples" / "hello.yaml"


@pytest.fixture
def smartlab(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "SMARTLAB_DB": f"sqlite:///{tmp_path / 'cli.db'}", "COLUMNS": "200"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rpa.cli", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True)

    return run


@pytest.mark.parametrize("broken", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_validate_broken_flow_exits_1_with_file_line_and_no_traceback(smartlab, broken: Path) -> None:
    done = smartlab("validate", str(broken))
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"{broken}:") and first.split(":")[1].isdigit()
    assert "Traceback" not in done.stdout + done.stderr


def test_validate_folder_reports_every_file(smartlab) -> None:
    done = smartlab("validate", str(BROKEN))
    assert done.returncode == 1
    assert "6 flow(s) checked, 6 problem(s)" in done.stderr


def test_validate_shipped_flows_pass(smartlab) -> None:
    done = smartlab("validate", str(ROOT / "flows"))
    assert done.returncode == 0, done.stderr
    assert "0 problem(s)" in done.stdout


def test_run_prints_timeline_run_id_and_exits_0_on_success(smartlab, tmp_path: Path) -> None:
    done = smartlab("run", str(HELLO), "-i", "name=Ada", "-i", "times=2", "-i", "out=outbox/o.txt")
    assert done.returncode == 0, done.stderr
    assert "✓ files.write" in done.stdout and "■ success" in done.stdout
    assert (tmp_path / "outbox" / "o.txt").read_text() == "Hello, Ada (1)\nHello, Ada (2)\n"
    listed = json.loads(smartlab("runs", "list", "--json").stdout)
    assert [(r["flow"], r["status"]) for r in listed] == [("hello", "success")]
    shown = json.loads(smartlab("runs", "show", listed[0]["id"][:8], "--json").stdout)
    assert shown["vars"]["i"] == 2
    assert [e["status"] for e in shown["timeline"] if e["kind"] == "transition"] == [
        "greet", "greet", "save", "done"]


def test_run_exits_1_when_the_run_does_not_succeed(smartlab, tmp_path: Path) -> None:
    flow = tmp_path / "no.yaml"
    flow.write_text("flow: no\nstates:\n  a:\n    do: [{activity: fail, with: {message: nope}}]\n"
                    "    catch: [{error: BusinessError, goto: r}]\n    next: d\n"
                    "  d: {final: success}\n  r: {final: business_exception}\n")
    done = smartlab("run", str(flow))
    assert done.returncode == 1
    assert "business_exception" in done.stdout and "nope" in done.stdout


def test_run_with_bad_input_is_one_line_error(smartlab) -> None:
    done = smartlab("run", str(HELLO), "-i", "times=lots")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: input 'times': expected int: invalid literal for int() with base 10: 'lots'"


def test_run_missing_file_is_one_line_error(smartlab) -> None:
    done = smartlab("run", "nowhere.yaml")
    assert (done.returncode, done.stderr.strip()) == (2, "error: no such flow file: nowhere.yaml")


def test_resume_all_with_nothing_to_do(smartlab) -> None:
    done = smartlab("resume", "--all")
    assert (done.returncode, done.stdout.strip()) == (0, "nothing to resume")


def test_runs_show_unknown_id_is_one_line_error(smartlab) -> None:
    done = smartlab("runs", "show", "zzz")
    assert (done.returncode, done.stderr.strip()) == (2, "error: no run with id 'zzz'")


def test_graph_mermaid_highlights_the_path_of_a_run(smartlab, tmp_path: Path) -> None:
    smartlab("run", str(HELLO), "-i", "times=1", "-i", "out=outbox/o.txt")
    run_id = json.loads(smartlab("runs", "list", "--json").stdout)[0]["id"]
    text = smartlab("graph", str(HELLO), "--run", run_id).stdout
    assert text.startswith("stateDiagram-v2")
    assert "greet --> greet: when vars.i < inputs.times" in text
    assert "class save taken" in text


def test_graph_svg_is_drawn_by_graphviz(smartlab) -> None:
    done = smartlab("graph", str(HELLO), "--format", "svg")
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout and ">greet</text>" in done.stdout


def test_activities_json_lists_builtins_with_typed_parameters(smartlab) -> None:
    data = json.loads(smartlab("activities", "--json").stdout)
    http = next(a for a in data["builtins"] if a["name"] == "http.request")
    assert http["effect"] is True
    assert {"name": "timeout", "type": "float", "required": False, "default": 30.0} in http["params"]


def test_schema_matches_the_shipped_file(smartlab) -> None:
    done = smartlab("schema")
    assert json.loads(done.stdout) == json.loads((ROOT / "flows" / "flow.schema.json").read_text())


def test_docs_activities_is_current(smartlab) -> None:
    done = smartlab("activities", "--markdown")
    assert done.stdout == (ROOT / "docs" / "activities.md").read_text(), "run `make docs`"


def test_runs_cancel_a_parked_run_at_once(smartlab, tmp_path: Path) -> None:
    flow = tmp_path / "ask.yaml"
    flow.write_text("flow: ask\nstates:\n  a:\n    do: [{activity: human.task, with: {title: \"Approve?\"}}]\n"
                    "    next: d\n  d: {final: success}\n")
    assert smartlab("run", str(flow)).returncode == 3  # parked: waits for a person (exit 3)
    run_id = json.loads(smartlab("runs", "list", "--json").stdout)[0]["id"]
    assert "Approve?" in smartlab("tasks", "list").stdout
    done = smartlab("runs", "cancel", run_id)
    assert done.stdout.strip() == f"run {run_id}: cancelled"
    assert json.loads(smartlab("runs", "show", run_id, "--json").stdout)["status"] == "cancelled"


def test_run_writes_one_run_start_audit_entry(smartlab, tmp_path: Path) -> None:
    done = smartlab("run", str(HELLO), "-i", "name=Ada", "-i", "out=outbox/o.txt")
    assert done.returncode == 0, done.stderr
    [run] = json.loads(smartlab("runs", "list", "--json").stdout)
    logged = json.loads(smartlab("audit", "list", "--json").stdout)
    assert [(e["action"], e["target"]) for e in logged] == [("run.start", run["id"])]


def test_resume_after_the_flow_changed_is_one_line_and_force_says_what_it_does(smartlab, tmp_path: Path) -> None:
    from rpa.engine import Runs
    from rpa.flow import load_and_compile
    from rpa.store import RunStore

    flow = tmp_path / "edited.yaml"
    flow.write_text("flow: edited\nstates:\n  a: {do: [{activity: set, with: {x: 1}}], next: b}\n"
                    "  b: {final: success}\n")
    store = RunStore(f"sqlite:///{tmp_path / 'cli.db'}")
    run = Runs(store).submit(load_and_compile(str(flow)), actor="test")  # queued, not yet run
    store.close()
    flow.write_text(flow.read_text().replace("{x: 1}", "{x: 2}"))
    refused = smartlab("resume", run.id)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"{flow} changed since the run started" in refused.stderr
    assert "--force" in smartlab("resume", "--help").stdout
    forced = smartlab("resume", run.id, "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(smartlab("runs", "show", run.id, "--json").stdout)["vars"] == {"x": 2}
