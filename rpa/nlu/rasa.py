"""The `rasa` command from its own venv: where it is, its environment, and running it.

Rasa pins libraries the app cannot share, so it is only ever a subprocess (or a server reached
over HTTP). Telemetry is always off; nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from rpa.nlu.errors import RasaError
from rpa.nlu.project import nlu_home

TAIL_LINES = 15
# SmartLab's own Rasa components (`nlu/smartlab_nlu`) ship with the source tree, not the venv.
COMPONENTS_HOME = Path(__file__).resolve().parents[2] / "nlu"


def rasa_executable() -> Path:
    """`SMARTLAB_RASA`, else `nlu/.venv/bin/rasa`."""
    configured = os.environ.get("SMARTLAB_RASA")
    path = Path(configured) if configured else nlu_home() / ".venv" / "bin" / "rasa"
    if not path.exists():
        raise RasaError(f"Rasa is not installed at {path} (run `make setup`, or set SMARTLAB_RASA)")
    return path


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore",
    })
    # the app's path must not leak into Rasa's Python 3.10; only our components' folder does
    env["PYTHONPATH"] = str(COMPONENTS_HOME)
    env["HF_HUB_OFFLINE"] = "1"
    return env


def run_rasa(args: Sequence[str], cwd: Path, log: Path) -> None:
    """Run `rasa ARGS` in `cwd`, output to `log`; a failure carries the log's tail."""
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [str(rasa_executable()), *args]
    with log.open("w", encoding="utf-8") as sink:
        try:
            code = subprocess.call(command, cwd=cwd, env=rasa_env(), stdout=sink,
                                   stderr=subprocess.STDOUT)
        except OSError as exc:
            raise RasaError(f"cannot run {command[0]}: {exc}") from exc
    if code != 0:
        raise RasaError(f"`rasa {' '.join(args[:2])}` failed (exit {code}); "
                        f"last lines of {log}:\n{tail(log)}")


def tail(log: Path, lines: int = TAIL_LINES) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
