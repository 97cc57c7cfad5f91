"""`smartlab users` as a user types it: the token printed once works; mistakes are one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from rpa.audit import entries
from rpa.auth import authenticate
from rpa.auth.cli import app

ROOT = Path(__file__).parents[3]
runner = CliRunner()


def env_for(db_path: Path) -> dict[str, str]:
    return {"SMARTLAB_DB": f"sqlite:///{db_path}", "SMARTLAB_ACTOR": "root@cli", "COLUMNS": "200"}


def test_cli_add_prompts_and_prints_a_working_token(engine: Engine, db_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "rpa.auth.cli", "add", "ada", "--role", "admin"],
                          cwd=ROOT, env={**os.environ, **env_for(db_path)},
                          input="long enough pw\nlong enough pw\n", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert "shown once" in done.stderr and "added ada (admin)" in done.stderr
    user = authenticate(engine, token)
    assert user is not None and (user.name, user.role) == ("ada", "admin")
    assert [e.action for e in entries(engine)] == ["user.token", "user.add"]


def test_cli_add_bad_role_exits_2_in_one_line(db_path: Path) -> None:
    done = runner.invoke(app, ["add", "ada", "--role", "boss", "--password", "long enough pw"],
                         env=env_for(db_path))
    assert done.exit_code == 2
    assert done.output.strip() == ("error: unknown role 'boss': choose one of staff, supervisor, "
                                   "developer, admin")


def test_cli_list_and_json(db_path: Path) -> None:
    env = env_for(db_path)
    runner.invoke(app, ["add", "zoe", "--role", "staff", "--password", "long enough pw"], env=env)
    done = runner.invoke(app, ["list"], env=env)
    assert done.exit_code == 0 and "zoe" in done.output and "staff" in done.output
    listed = json.loads(runner.invoke(app, ["list", "--json"], env=env).output)
    assert [(u["name"], u["role"], u["disabled"]) for u in listed] == [("zoe", "staff", False)]


def test_cli_token_issues_another_working_token(engine: Engine, db_path: Path) -> None:
    env = env_for(db_path)
    first = runner.invoke(app, ["add", "zoe", "--role", "staff", "--password", "long enough pw"],
                          env=env).stdout.strip()
    second = runner.invoke(app, ["token", "zoe"], env=env)
    assert second.exit_code == 0
    assert authenticate(engine, first) == authenticate(engine, second.stdout.strip())
    missing = runner.invoke(app, ["token", "ghost"], env=env)
    assert missing.exit_code == 2 and "no user 'ghost'" in missing.output
