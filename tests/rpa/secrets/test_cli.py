"""`smartlab secrets` as a user types it: Typer's runner for most, real processes for a few."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from rpa.audit import entries
from rpa.secrets import resolve
from rpa.secrets.cli import app

from .conftest import MemoryKeyring

ROOT = Path(__file__).parents[3]
runner = CliRunner()


@pytest.fixture
def cli_env(environ: dict[str, str], tmp_path: Path) -> dict[str, str]:
    return {**environ, "SMARTLAB_DB": f"sqlite:///{tmp_path / 'smartlab.db'}",
            "SMARTLAB_ACTOR": "ada@cli", "COLUMNS": "200"}


def smartlab_secrets(env: dict[str, str], cwd: Path, *args: str,
                     stdin: str = "") -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SMARTLAB_")}
    full = {**inherited, **env, "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}  # never the host's keyring
    return subprocess.run([sys.executable, "-m", "rpa.secrets.cli", *args], env=full, cwd=cwd,
                          input=stdin, capture_output=True, text=True)


def test_cli_set_prompts_hidden_and_audits_the_name_only(cli_env: dict[str, str],
                                                        engine: Engine) -> None:
    done = runner.invoke(app, ["set", "case_password"], input="Pw-71c3\nPw-71c3\n", env=cli_env)
    assert done.exit_code == 0, done.output
    assert "added case_password" in done.output and "Pw-71c3" not in done.output
    assert resolve(["case_password"], cli_env) == {"case_password": "Pw-71c3"}
    [entry] = entries(engine)
    assert (entry.actor, entry.action, entry.target) == ("ada@cli", "secret.set", "case_password")
    assert "Pw-71c3" not in json.dumps(entry.__dict__)


def test_cli_set_twice_says_replaced(cli_env: dict[str, str]) -> None:
    runner.invoke(app, ["set", "x", "--value", "one-value"], env=cli_env)
    done = runner.invoke(app, ["set", "X", "--value", "two-value"], env=cli_env)
    assert done.exit_code == 0 and "replaced x" in done.output


def test_cli_list_shows_names_and_sources_never_values(cli_env: dict[str, str]) -> None:
    runner.invoke(app, ["set", "in_file", "--value", "value-in-file"], env=cli_env)
    done = runner.invoke(app, ["list"], env={**cli_env, "SMARTLAB_SECRET_IN_ENV": "value-in-env"})
    assert done.exit_code == 0
    assert "in_file" in done.output and "in_env" in done.output
    assert "value-in" not in done.output


def test_cli_rm_removes_and_unknown_exits_2(cli_env: dict[str, str], engine: Engine) -> None:
    runner.invoke(app, ["set", "x", "--value", "value-1"], env=cli_env)
    assert runner.invoke(app, ["rm", "x"], env=cli_env).exit_code == 0
    again = runner.invoke(app, ["rm", "x"], env=cli_env)
    assert again.exit_code == 2 and "no secret 'x'" in again.output
    assert [e.action for e in entries(engine)] == ["secret.remove", "secret.set"]


def test_cli_keygen_keyring_stores_a_key_that_opens_the_file(
        cli_env: dict[str, str], memory_keyring: MemoryKeyring) -> None:
    del cli_env["SMARTLAB_SECRETS_KEY"]
    done = runner.invoke(app, ["keygen", "--keyring"], env=cli_env)
    assert done.exit_code == 0 and "OS keyring" in done.output
    assert memory_keyring.get_password("smartlab", "secrets-key")
    assert runner.invoke(app, ["set", "x", "--value", "value-1"], env=cli_env).exit_code == 0
    assert resolve(["x"], cli_env) == {"x": "value-1"}


def test_cli_set_without_key_is_one_line_with_keygen_hint(cli_env: dict[str, str],
                                                          tmp_path: Path) -> None:
    del cli_env["SMARTLAB_SECRETS_KEY"]
    done = smartlab_secrets(cli_env, tmp_path, "set", "x", "--value", "value-1")
    assert done.returncode == 2
    assert done.stderr.startswith("error: no key for the secrets file: "
                                  "run `smartlab secrets keygen`")
    assert "Traceback" not in done.stderr


def test_cli_keygen_key_exported_then_set_by_prompt(cli_env: dict[str, str],
                                                    tmp_path: Path) -> None:
    del cli_env["SMARTLAB_SECRETS_KEY"]
    made = smartlab_secrets(cli_env, tmp_path, "keygen")
    assert made.returncode == 0 and "export SMARTLAB_SECRETS_KEY" in made.stderr
    cli_env["SMARTLAB_SECRETS_KEY"] = made.stdout.strip()
    done = smartlab_secrets(cli_env, tmp_path, "set", "portal", stdin="Typed-9a\nTyped-9a\n")
    assert done.returncode == 0, done.stderr
    assert resolve(["portal"], cli_env) == {"portal": "Typed-9a"}
    assert "Typed-9a" not in done.stdout + done.stderr


def test_secret_value_never_reaches_the_sqlite_file(cli_env: dict[str, str], tmp_path: Path,
                                                    engine: Engine) -> None:
    value = "Leak-Check-5e0b9"
    assert smartlab_secrets(cli_env, tmp_path, "set", "a", "--value", value).returncode == 0
    assert smartlab_secrets(cli_env, tmp_path, "set", "b",
                            stdin=f"{value}-2\n{value}-2\n").returncode == 0
    assert smartlab_secrets(cli_env, tmp_path, "list").returncode == 0
    assert resolve(["a", "b"], cli_env) == {"a": value, "b": f"{value}-2"}
    assert smartlab_secrets(cli_env, tmp_path, "rm", "a").returncode == 0
    engine.dispose()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("smartlab.db*"))
    assert len(stored) > 0 and b"secret.remove" in stored
    assert value.encode() not in stored
