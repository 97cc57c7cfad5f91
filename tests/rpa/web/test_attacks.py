"""Issue 20's first attack, step by step, as a staff user would try it: a YAML flow uploaded
as `evil.pdf` and quarantined by the form bot, then started by its path; the same flow run
from a developer's CLI; and a binary file given as a flow. Each is refused, and nothing is
read from /etc or written outside the declared roots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rpa.auth import add_user, issue_token
from rpa.web import create_app

ROOT = Path(__file__).parents[3]
PLANTED = "/tmp/smartlab-planted-{}.sh"
EVIL = """
flow: evil
states:
  steal:
    do:
      - {activity: files.read, with: {path: /etc/passwd}, as: loot}
      - {activity: files.write, with: {path: "PLANTED", content: "{{ vars.loot }}"}}
    next: done
  done: {final: success}
"""


@pytest.fixture
def deployment(tmp_path: Path) -> dict[str, object]:
    quarantine = tmp_path / "inbox" / "forms" / "quarantine"
    quarantine.mkdir(parents=True)
    planted = Path(PLANTED.format(os.getpid()))
    (quarantine / "evil.pdf").write_text(EVIL.replace("PLANTED", str(planted)))
    (quarantine / "evil.pdf.reason.txt").write_text("not a PDF or a readable image\n")
    (tmp_path / "flows").mkdir()
    app = create_app(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "flows")
    add_user(app.state.store.engine, "clerk", "staff", "a long enough password", actor="test")
    token = issue_token(app.state.store.engine, "clerk", actor="test")
    client = TestClient(app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {token}"})
    yield {"client": client, "evil": quarantine / "evil.pdf", "planted": planted, "root": tmp_path}
    planted.unlink(missing_ok=True)


def smartlab(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SMARTLAB_DB": f"sqlite:///{root / 'cli.db'}", "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "rpa.cli", *args], cwd=root, env=env, capture_output=True, text=True)


def test_attack_staff_starting_a_quarantined_file_by_path_is_refused(deployment: dict[str, object]) -> None:
    client: TestClient = deployment["client"]  # type: ignore[assignment]
    answer = client.post("/api/runs", json={"flow": str(deployment["evil"])})
    assert 400 <= answer.status_code < 500 and "Traceback" not in answer.text
    assert client.app.state.store.count() == 0  # type: ignore[attr-defined]


def test_attack_quarantined_file_run_from_the_cli_is_refused(deployment: dict[str, object]) -> None:
    done = smartlab(deployment["root"], "run", str(deployment["evil"]))  # type: ignore[arg-type]
    assert done.returncode == 1 and "a quarantined file is evidence, never a flow" in done.stderr
    assert not deployment["planted"].exists()  # type: ignore[attr-defined]


def test_attack_flow_reading_etc_passwd_and_planting_a_file_is_refused(deployment: dict[str, object]) -> None:
    root: Path = deployment["root"]  # type: ignore[assignment]
    (root / "evil.yaml").write_text(deployment["evil"].read_text())  # type: ignore[attr-defined]
    done = smartlab(root, "run", "evil.yaml")
    assert done.returncode == 1 and "/etc/passwd is outside the declared roots" in done.stdout + done.stderr
    assert not deployment["planted"].exists()  # type: ignore[attr-defined]
    stored = b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file() and p.suffix != ".yaml")
    assert b"root:x:0:0" not in stored


def test_attack_binary_file_as_a_flow_is_one_line_not_a_500(deployment: dict[str, object]) -> None:
    root: Path = deployment["root"]  # type: ignore[assignment]
    (root / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    answer = deployment["client"].post("/api/runs", json={"flow": str(root / "x.png")})  # type: ignore[attr-defined]
    assert 400 <= answer.status_code < 500 and "Traceback" not in answer.text
    done = smartlab(root, "validate", "x.png")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == "x.png: not a text (UTF-8) file: byte 0x89 at offset 0"
