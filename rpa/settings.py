"""Every `SMARTLAB_*` environment variable SmartLab reads, with what it means and its default,
so `smartlab config` can show what is in force and point out a variable nobody reads (a typo).

The engine's settings are listed here; bots and the robot add theirs as lists of `Setting`
through the `smartlab.settings` entry points (the engine does not import them).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points

from rpa.errors import SmartLabError

SETTINGS_ENTRY_POINT_GROUP = "smartlab.settings"
FAMILIES = ("SMARTLAB_SECRET_", "SMARTLAB_INPUT_")  # prefixes of open-ended families of names


class SettingError(SmartLabError):
    """A setting holds a value of the wrong kind."""


@dataclass(frozen=True)
class Setting:
    name: str
    meaning: str
    default: str = "-"
    secret: bool = False  # its value is never printed


ENGINE = [
    Setting("SMARTLAB_DB", "the store (SQLAlchemy URL)", "sqlite:///.smartlab/smartlab.db"),
    Setting("SMARTLAB_ARTIFACTS", "folder of runs' artifact folders", ".smartlab/artifacts"),
    Setting("SMARTLAB_SECRETS_FILE", "encrypted secrets file", ".smartlab/secrets.enc"),
    Setting("SMARTLAB_SECRETS_KEY", "key of the secrets file", "the OS keyring", secret=True),
    Setting("SMARTLAB_ACTOR", "who the audit log names for CLI actions", "<login>@cli"),
    Setting("SMARTLAB_CHROMIUM", "Chromium for browser activities", "/usr/bin/chromium"),
    Setting("SMARTLAB_BROWSER_HEADLESS", "browser without a window", "true"),
    Setting("SMARTLAB_BROWSER_TIMEOUT", "seconds a browser action may wait", "30"),
    Setting("SMARTLAB_BROWSER_IDLE", "seconds before an unused run's browser closes", "300"),
    Setting("SMARTLAB_BROWSER_TRACE", "keep a Playwright trace of a failed action", "true"),
    Setting("SMARTLAB_NLU_DIR", "folder of the Rasa projects", "nlu/ beside the source"),
    Setting("SMARTLAB_RASA", "the rasa executable", "nlu/.venv/bin/rasa"),
    Setting("SMARTLAB_NLU_THREADS", "threads of Rasa's sentence embedder (OpenMP or onnxruntime)", "1"),
    Setting("SMARTLAB_NLU_BATCH_MAX", "texts one batch parse request to Rasa may carry", "256"),
    Setting("SMARTLAB_NLU_PARALLEL", "texts of a batch parse embedded at once (onnxruntime backend)", "2"),
    Setting("RASA_TELEMETRY_ENABLED", "Rasa telemetry (make sets it off)", "false"),
    # rpa/documents/limits.py reads these (a test keeps both lists the same)
    Setting("SMARTLAB_DOC_MAX_PAGES", "pages a PDF or image file may have", "100"),
    Setting("SMARTLAB_DOC_MAX_PIXELS", "pixels a page image may have (Pillow's bomb guard)", "89478485"),
    Setting("SMARTLAB_DOC_MAX_MB", "size of a document file, in MB", "100"),
    Setting("SMARTLAB_OCR_ENGINE", "how Tesseract is run: api (models kept loaded in a child "
            "process) or cli (one tesseract run per page)", "api"),
    Setting("SMARTLAB_FILE_ROOTS", "folders file activities may read and write, comma-separated "
            "(besides the run's artifact folder)", "inbox,outbox,archive"),
    Setting("SMARTLAB_FILE_READ_ROOTS", "folders file activities may only read, comma-separated", "examples"),
    Setting("SMARTLAB_FLOW_MAX_BYTES", "largest flow file read, in bytes", "1048576"),
    Setting("SMARTLAB_FLOW_MAX_ALIASES", "YAML alias references (*name) a flow file may use", "100"),
    Setting("SMARTLAB_FLOW_MAX_NODES", "YAML values a flow file may expand to (aliases counted each time)", "100000"),
    Setting("SMARTLAB_FLOW_MAX_DEPTH", "nesting depth of a flow file's YAML", "64"),
    Setting("SMARTLAB_FLOW_MAX_STATES", "states a flow may have", "1000"),
    Setting("SMARTLAB_FLOW_MAX_STEPS", "steps a flow may have, over all its states", "10000"),
    Setting("SMARTLAB_TEMPLATE_MAX_OUTPUT", "characters one template may render", "1000000"),
    Setting("SMARTLAB_TEMPLATE_MAX_RANGE", "loop iterations and range() items of one template rendering", "100000"),
    Setting("SMARTLAB_STEP_GROUP", "step boundaries without an effect committed together (1: each at once)", "64"),
    Setting("SMARTLAB_STEP_GROUP_MS", "milliseconds a step boundary without an effect may wait for its group's commit",
            "200"),
    Setting("SMARTLAB_FLOW_CACHE", "compiled flows (by path and source hash) a process keeps", "64"),
    Setting("SMARTLAB_LOGIN_ATTEMPTS", "failed console sign-ins before a name is locked out", "5"),
    Setting("SMARTLAB_LOGIN_LOCKOUT", "seconds a locked-out name waits", "900"),
    Setting("SMARTLAB_CONSOLE_TIMEZONE", "time zone the console shows dates and hours in (IANA name)",
            "Asia/Hong_Kong"),
    Setting("SMARTLAB_DASHBOARD_HOURS", "hours of history the dashboard's charts draw", "24"),
    Setting("SMARTLAB_DASHBOARD_ROWS", "tasks or bots one dashboard chart draws at most", "12"),
]


def known() -> list[Setting]:
    found = list(ENGINE)
    for ep in entry_points(group=SETTINGS_ENTRY_POINT_GROUP):
        try:
            found.extend(ep.load())
        except ImportError:  # a plugin being built or not installed: its settings are absent
            continue
    return found


def in_force(environ: Mapping[str, str]) -> list[tuple[Setting, str, str]]:
    """(setting, value as shown, where it came from) for every known setting."""
    return [(s, _shown(s, environ), "environment" if environ.get(s.name) else "default") for s in known()]


def _shown(setting: Setting, environ: Mapping[str, str]) -> str:
    value = environ.get(setting.name)
    if not value:
        return setting.default
    return "(set, hidden)" if setting.secret else value


def unread(environ: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """`SMARTLAB_*` variables that are set but that nothing reads (usually a typo), each with
    the known name it most resembles, if any."""
    names = [s.name for s in known()]
    stray = sorted(k for k in environ if k.startswith("SMARTLAB_") and k not in names and not k.startswith(FAMILIES))
    return [(k, next(iter(difflib.get_close_matches(k, names, n=1, cutoff=0.8)), None)) for k in stray]


def integer(name: str, environ: Mapping[str, str] | None = None) -> int:
    """A whole-number setting: its environment value, else its listed default."""
    env = os.environ if environ is None else environ
    raw = env.get(name) or next(s.default for s in ENGINE if s.name == name)
    try:
        return int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a whole number") from None


def text(name: str, environ: Mapping[str, str] | None = None) -> str:
    """A setting as given: its environment value, else its listed default."""
    env = os.environ if environ is None else environ
    return env.get(name) or next(s.default for s in ENGINE if s.name == name)


def listed(name: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated setting as its non-empty items (empty when set to "")."""
    env = os.environ if environ is None else environ
    raw = env[name] if name in env else next(s.default for s in ENGINE if s.name == name)
    return [item.strip() for item in raw.split(",") if item.strip()]


def family(environ: Mapping[str, str], prefix: str) -> list[str]:
    return sorted(k.removeprefix(prefix).lower() for k in environ if k.startswith(prefix))
