"""Every `SMARTLAB_*` environment variable SmartLab reads, with what it means and its default,
so `smartlab config` can show what is in force and point out a variable nobody reads (a typo).

The engine's settings are listed here; bots and the robot add theirs as lists of `Setting`
through the `smartlab.settings` entry points (the engine does not import them).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points

SETTINGS_ENTRY_POINT_GROUP = "smartlab.settings"
FAMILIES = ("SMARTLAB_SECRET_", "SMARTLAB_INPUT_")  # prefixes of open-ended families of names


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
    Setting("RASA_TELEMETRY_ENABLED", "Rasa telemetry (make sets it off)", "false"),
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


def family(environ: Mapping[str, str], prefix: str) -> list[str]:
    return sorted(k.removeprefix(prefix).lower() for k in environ if k.startswith(prefix))
