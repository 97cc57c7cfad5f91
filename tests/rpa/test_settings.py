"""`smartlab config` and the settings registry: every setting with its source, secrets hidden,
plugins' settings included, and a SMARTLAB_* variable that nothing reads pointed out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rpa.settings import in_force, known, unread


def test_settings_come_from_the_environment_or_the_default() -> None:
    shown = {s.name: (value, source) for s, value, source in in_force({"SMARTLAB_DB": "sqlite:///x.db"})}
    assert shown["SMARTLAB_DB"] == ("sqlite:///x.db", "environment")
    assert shown["SMARTLAB_ARTIFACTS"] == (".smartlab/artifacts", "default")


def test_settings_never_show_a_secret_value() -> None:
    shown = {s.name: value for s, value, _ in in_force({"SMARTLAB_SECRETS_KEY": "k3y-material"})}
    assert shown["SMARTLAB_SECRETS_KEY"] == "(set, hidden)"


def test_settings_include_the_plugins_by_entry_point() -> None:
    names = {s.name for s in known()}
    assert {"SMARTLAB_TRIAGE_NLU_URL", "SMARTLAB_ROBOT_URL", "SMARTLAB_TOUR_MAP"} <= names


def test_settings_point_out_a_variable_nothing_reads_with_the_nearest_name() -> None:
    environ = {"SMARTLAB_DBB": "x", "SMARTLAB_WHATEVER": "1", "SMARTLAB_SECRET_TOKEN": "t",
               "SMARTLAB_INPUT_HELLO__NAME": "Ada", "SMARTLAB_DB": "sqlite://"}
    assert unread(environ) == [("SMARTLAB_DBB", "SMARTLAB_DB"), ("SMARTLAB_WHATEVER", None)]


def test_config_command_prints_settings_and_warns_of_a_typo(tmp_path: Path) -> None:
    env = {**os.environ, "SMARTLAB_TOUR_MAPP": "x.yaml", "SMARTLAB_SECRET_CASE_PASSWORD": "hunter2",
           "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "rpa.cli", "config"], env=env, cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 0
    assert "SMARTLAB_TRIAGE_NLU_URL" in done.stdout and "case_password" in done.stdout
    assert "hunter2" not in done.stdout + done.stderr
    assert "SMARTLAB_TOUR_MAPP is set but SmartLab reads no such setting (did you mean SMARTLAB_TOUR_MAP?)" \
        in done.stderr
