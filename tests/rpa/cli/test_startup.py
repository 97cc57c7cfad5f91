"""The command's front door: lazy sub-commands, --version, exit codes, full ids off a terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import typer

from rpa.cli import commands
from rpa.cli.exits import exit_code, worst
from rpa.cli.lazy import help_of, load

# Loaded only by the activities, commands or stores that need them: a plain flow on a current store never does.
RUN_NEVER_LOADS = {"playwright", "pytesseract", "pdfplumber", "cv2", "numpy", "PIL", "alembic", "httpx",
                   "jsonschema", "pymavlink", "serial"}
HEAVY = ("rpa.engine", "rpa.flow", "rpa.store", "playwright", "sklearn", "numpy",
         "receptionist_robot.base", "bots.enquiry_triage")


def _smartlab(tmp_path: Path, *args: str, columns: str = "200") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SMARTLAB_DB": f"sqlite:///{tmp_path / 'cli.db'}", "COLUMNS": columns}
    return subprocess.run([sys.executable, *args], env=env, cwd=tmp_path, capture_output=True, text=True)


def test_help_lists_every_command_without_importing_engine_or_plugins(tmp_path: Path) -> None:
    done = _smartlab(tmp_path, "-X", "importtime", "-m", "rpa.cli", "--help")
    assert done.returncode == 0, done.stderr
    imported = _loaded(done.stderr)
    assert [m for m in imported if m.startswith(HEAVY)] == []
    listed = set(re.findall(r"│ (\w+) ", done.stdout))
    assert set(commands()) <= listed
    assert "waits for a person" in done.stdout  # the exit codes are in the help


def _loaded(stderr: str) -> set[str]:
    return set(re.findall(r"\|\s+([\w.]+)\s*$", stderr, re.MULTILINE))


def test_run_of_a_plain_flow_on_a_current_store_loads_no_heavy_library(tmp_path: Path) -> None:
    flow = tmp_path / "plain.yaml"
    flow.write_text("flow: plain\nstates:\n  a:\n    do: [{activity: log, with: {message: hi}}]\n"
                    "    next: done\n  done: {final: success}\n", encoding="utf-8")
    assert _smartlab(tmp_path, "-m", "rpa.cli", "run", "-q", str(flow)).returncode == 0  # makes the store
    done = _smartlab(tmp_path, "-X", "importtime", "-m", "rpa.cli", "run", "-q", str(flow))
    assert done.returncode == 0, done.stderr
    assert sorted(m for m in _loaded(done.stderr) if m.split(".")[0] in RUN_NEVER_LOADS) == []


def test_builtin_registry_knows_every_activity_without_loading_its_library(tmp_path: Path) -> None:
    script = ("import json, sys\nfrom rpa.activities import builtin_registry\nr = builtin_registry()\n"
              "print(json.dumps({'names': r.names(), 'ocr': list(r.get('ocr.read').params),\n"
              "  'wait': r.get('browser.wait').params['state'].type_name,\n"
              "  'loaded': sorted({m.split('.')[0] for m in sys.modules})}))")
    done = _smartlab(tmp_path, "-c", script)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert {"browser.open", "browser.wait", "http.request", "human.task", "ocr.read", "pdf.read",
            "pdf.tables"} <= set(found["names"])
    assert found["ocr"] == ["path", "lang", "psm", "preprocess", "pages"]
    assert "visible" in found["wait"] and "detached" in found["wait"]
    assert sorted(RUN_NEVER_LOADS & set(found["loaded"])) == []


def test_version_prints_the_distribution_version(tmp_path: Path) -> None:
    done = _smartlab(tmp_path, "-m", "rpa.cli", "--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"smartlab {version('smartlab')}")


def test_run_exit_codes_tell_waiting_from_failed(tmp_path: Path) -> None:
    ask = tmp_path / "ask.yaml"
    ask.write_text("flow: ask\nstates:\n  a:\n    do: [{activity: human.task, with: {title: \"Approve?\"}}]\n"
                   "    next: done\n  done: {final: success}\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("flow: broken\nstates:\n  a:\n    do: [{activity: fail, with: {message: no}}]\n"
                      "    next: done\n  done: {final: success}\n", encoding="utf-8")
    assert _smartlab(tmp_path, "-m", "rpa.cli", "run", str(ask)).returncode == 3
    assert _smartlab(tmp_path, "-m", "rpa.cli", "run", str(broken)).returncode == 1
    assert _smartlab(tmp_path, "-m", "rpa.cli", "run", str(tmp_path / "none.yaml")).returncode == 2


def test_runs_list_piped_to_a_narrow_console_keeps_full_ids(tmp_path: Path) -> None:
    flow = tmp_path / "one.yaml"
    flow.write_text("flow: one\nstates:\n  a:\n    do: [{activity: log, with: {message: hi}}]\n"
                    "    next: done\n  done: {final: success}\n", encoding="utf-8")
    assert _smartlab(tmp_path, "-m", "rpa.cli", "run", "-q", str(flow)).returncode == 0
    [run] = json.loads(_smartlab(tmp_path, "-m", "rpa.cli", "runs", "list", "--json").stdout)
    shown = _smartlab(tmp_path, "-m", "rpa.cli", "runs", "list", columns="40").stdout
    assert run["id"] in shown


def test_help_of_reads_docstrings_and_typer_help_from_source() -> None:
    assert help_of("rpa.cli.runs:runs_app") == "Look at runs: list them, show one with its timeline."
    assert help_of("rpa.cli.runs:run").startswith("Run a flow in the foreground")
    assert help_of("receptionist_robot.cli:app").startswith("The guide robot")


def test_a_command_that_cannot_load_is_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as exit_info:
        load("ghost", "no_such_package.cli:app")
    assert exit_info.value.exit_code == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "'smartlab ghost' is not available" in line


@pytest.mark.parametrize(("statuses", "code"), [
    (["success"], 0), (["waiting"], 3), (["interrupted"], 4), (["cancelled"], 5),
    (["business_exception"], 1), (["success", "waiting"], 3), (["waiting", "failure"], 1), ([], 0),
])
def test_exit_code_of_runs(statuses: list[str], code: int) -> None:
    assert worst(statuses) == code
    if len(statuses) == 1:
        assert exit_code(statuses[0]) == code
