"""A real case system on a loopback port and real Chromium sessions for the browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from examples.case_system import RunningServer, serve
from rpa.browser import BrowserConfig, SessionManager

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts" / "rpa-browser"

if not Path(BrowserConfig().executable).exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)


@pytest.fixture(scope="session")
def case_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with serve(tmp_path_factory.mktemp("case_system") / "cases.db") as server:
        yield server


@pytest.fixture
def config(request: pytest.FixtureRequest) -> BrowserConfig:
    return BrowserConfig(artifacts=ARTIFACTS / request.node.name, timeout=5)


@pytest.fixture
def manager(config: BrowserConfig) -> Iterator[SessionManager]:
    sessions = SessionManager(config)
    yield sessions
    sessions.close_all()
