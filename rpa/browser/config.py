"""How the browser is started: Debian's Chromium, headless, with the network chatter turned off.

Values come from `SMARTLAB_*` environment variables, then these defaults.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rpa.artifacts import DEFAULT_ROOT, root

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@dataclass(frozen=True)
class BrowserConfig:
    executable: str = "/usr/bin/chromium"
    headless: bool = True
    args: tuple[str, ...] = CHROMIUM_ARGS
    timeout: float = 30.0  # seconds an action may wait, unless the step's own limit is shorter
    idle_timeout: float = 300.0  # a run's browser closes after this long unused
    artifacts: Path = DEFAULT_ROOT  # runs' folders go under it: see rpa.artifacts
    trace: bool = True  # keep a Playwright trace of a failed action
    viewport: tuple[int, int] = (1280, 900)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> BrowserConfig:
        env = os.environ if environ is None else environ
        default = cls()
        return cls(
            executable=env.get("SMARTLAB_CHROMIUM", default.executable),
            headless=_flag(env.get("SMARTLAB_BROWSER_HEADLESS"), default.headless),
            timeout=float(env.get("SMARTLAB_BROWSER_TIMEOUT", default.timeout)),
            idle_timeout=float(env.get("SMARTLAB_BROWSER_IDLE", default.idle_timeout)),
            artifacts=root(env),
            trace=_flag(env.get("SMARTLAB_BROWSER_TRACE"), default.trace),
        )


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}
