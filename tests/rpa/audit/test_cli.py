"""`smartlab audit` as a user types it; acceptance 4: a row edited by hand fails verify."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rpa.audit import record
from rpa.audit.cli import app
from rpa.cli import common
from rpa.store import open_engine

ROOT = Path(__file__).parents[3]
runner = CliRunner()


def filled(tmp_path: Path, n: int) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'smartlab.db'}"
    engine = open_engine(url)
    for i in range(1, n + 1):
        record(engine, "ada", "run.start", f"run-{i}", {"flow": "hello", "note": "[bold]x[/]"})
    engine.dispose()
    return {"SMARTLAB_DB": url, "COLUMNS": "200"}


def smartlab_audit(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rpa.audit.cli", *args], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True)


def test_cli_verify_intact_prints_count_and_head(tmp_path: Path) -> None:
    done = runner.invoke(app, ["verify"], env=filled(tmp_path, 3))
    assert done.exit_code == 0 and "3 entries, chain intact; head hash " in done.output


def test_cli_verify_empty_log(tmp_path: Path) -> None:
    done = runner.invoke(app, ["verify"], env=filled(tmp_path, 0))
    assert done.exit_code == 0 and "the audit log is empty" in done.output


def test_cli_list_limit_newest_first_with_markup_shown_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the console takes its width from COLUMNS when first imported, which may be before this
    # test (in whatever env the first importer had): give it the width the table needs
    monkeypatch.setattr(common.out, "width", 200)
    env = filled(tmp_path, 5)
    done = runner.invoke(app, ["list", "--limit", "2"], env=env)
    assert done.exit_code == 0
    assert "run-5" in done.output and "run-4" in done.output and "run-3" not in done.output
    assert "[bold]x[/]" in done.output
    listed = json.loads(runner.invoke(app, ["list", "--json"], env=env).output)
    assert [e["target"] for e in listed] == [f"run-{i}" for i in range(5, 0, -1)]


def test_cli_verify_exits_1_naming_the_row_edited_by_hand(tmp_path: Path) -> None:
    env = filled(tmp_path, 20)
    with sqlite3.connect(tmp_path / "smartlab.db") as conn:
        conn.execute("UPDATE audit_log SET target = 'run-99' WHERE id = 17")
    done = smartlab_audit(env, "verify")
    assert done.returncode == 1
    assert done.stderr.strip() == "audit entry 17 is broken: its hash does not match its content"
    assert "Traceback" not in done.stderr and done.stdout == ""
