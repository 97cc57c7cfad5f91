"""The `rasa` command from its own venv: where it is, its environment, and running it.

Rasa pins libraries the app cannot share, so it is only ever a subprocess (or a server reached
over HTTP). Telemetry is always off; nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from rpa.nlu.errors import RasaError
from rpa.nlu.project import COMPONENTS_HOME, nlu_home

TAIL_LINES = 15
THREADS_ENV = "SMARTLAB_NLU_THREADS"


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
        "PYTHONUNBUFFERED": "1",  # log lines reach the progress bar as they are written
    })
    # the app's path must not leak into Rasa's Python 3.10; only our components' folder does
    env["PYTHONPATH"] = str(COMPONENTS_HOME)
    env["HF_HUB_OFFLINE"] = "1"
    # The sentence embedder's OpenMP threads: spinning ones on a shared 2-core machine made a
    # parse 5x slower (p50 506 ms, against 95 ms passive with one thread, measured under load).
    env["OMP_NUM_THREADS"] = os.environ.get(THREADS_ENV) or "1"
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    return env


def run_rasa(args: Sequence[str], cwd: Path, log: Path,
             on_line: Callable[[str], None] | None = None) -> None:
    """Run `rasa ARGS` in `cwd`, output to `log` (and each line to `on_line`, for progress);
    a failure carries the log's tail."""
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [str(rasa_executable()), *args]
    with log.open("w", encoding="utf-8") as sink:
        try:
            with subprocess.Popen(command, cwd=cwd, env=rasa_env(), stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, errors="replace") as proc:
                for line in proc.stdout or ():
                    sink.write(line)
                    if on_line:
                        on_line(line)
            code = proc.returncode
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
