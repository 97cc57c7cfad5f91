"""Acceptance 3: a secret used in a flow never appears in the database file, the logs or
`runs show` (the flow runs through the real `smartlab run`, on a real SQLite file)."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from rpa.engine import Runner
from rpa.flow import CompiledFlow
from rpa.secrets import install_log_masking, set_secret
from rpa.store import RunStore

pytestmark = pytest.mark.slow  # each test starts `smartlab` three times

ROOT = Path(__file__).parents[3]
VALUE = "Zq-hunter-77c1"
LOG_ONLY = """
flow: secret_use
secrets: [case_password]
states:
  login:
    do: [{activity: log, with: {message: "signing in with {{ secrets.case_password }}"}}]
    next: done
  done: {final: success}
"""
FAILING = LOG_ONLY.replace(
    '"}}]', '"}}, {activity: fail, with: {message: "rejected {{ secrets.case_password }}"}}]')


def smartlab(tmp_path: Path, env: dict[str, str], *args: str) -> str:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SMARTLAB_")}
    full = {**inherited, **env, "SMARTLAB_DB": f"sqlite:///{tmp_path / 'smartlab.db'}",
            "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "rpa.cli", *args], env=full, cwd=tmp_path,
                          capture_output=True, text=True)
    return done.stdout + done.stderr


def run_and_collect(tmp_path: Path, env: dict[str, str], flow: str) -> bytes:
    """Everything a user or an attacker could read afterwards: output, `runs show`, the files."""
    (tmp_path / "flow.yaml").write_text(flow, encoding="utf-8")
    shown = smartlab(tmp_path, env, "run", "flow.yaml")
    started = re.search(r"▶ run (\w+)", shown)
    assert started, shown
    run_id = started.group(1)
    shown += smartlab(tmp_path, env, "runs", "show", run_id)
    shown += smartlab(tmp_path, env, "runs", "show", run_id, "--json")
    files = b"".join(p.read_bytes() for p in tmp_path.glob("smartlab.db*"))
    return shown.encode() + files


def test_run_secret_from_env_stays_out_of_output_and_database(tmp_path: Path) -> None:
    seen = run_and_collect(tmp_path, {"SMARTLAB_SECRET_CASE_PASSWORD": VALUE}, LOG_ONLY)
    assert b"signing in with ***" in seen
    assert VALUE.encode() not in seen


def test_run_secret_in_an_error_stays_out_of_output_and_database(tmp_path: Path) -> None:
    seen = run_and_collect(tmp_path, {"SMARTLAB_SECRET_CASE_PASSWORD": VALUE}, FAILING)
    assert b"rejected ***" in seen
    assert VALUE.encode() not in seen


def test_run_secret_from_the_file_is_used_and_masked(tmp_path: Path, engine: Engine,
                                                     environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "case_password", VALUE, environ)
    engine.dispose()
    seen = run_and_collect(tmp_path, environ, LOG_ONLY)
    assert b"signing in with ***" in seen
    assert VALUE.encode() not in seen


def test_run_secret_stays_out_of_a_masked_log_file(tmp_path: Path, store: RunStore,
                                                   compiled: Callable[[str], CompiledFlow]) -> None:
    value = f"log-{uuid.uuid4().hex}"  # unknown to this process's masker until the run starts
    handler = logging.FileHandler(tmp_path / "smartlab.log", encoding="utf-8")
    install_log_masking([handler])
    logger = logging.getLogger("smartlab")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        Runner(store, environ={"SMARTLAB_SECRET_CASE_PASSWORD": value}).start(compiled(LOG_ONLY))
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = (tmp_path / "smartlab.log").read_text(encoding="utf-8")
    assert "signing in with ***" in text and value not in text
