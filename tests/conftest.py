"""Fixtures shared by every test: a real SQLite store in a temporary folder, flows from text."""

from __future__ import annotations

import signal
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright
from sqlalchemy import Engine

from rpa.flow import CompiledFlow, compile_flow, load_flow
from rpa.store import RunStore, open_engine
from tests.postgres import PostgresServer
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

# A shell starts a background job (`make test &`, nohup) with SIGINT ignored, and every child
# inherits that, so a simulator or server the tests stop with Ctrl-C would never stop. Tests
# that send SIGINT need Python's own handler whoever launched pytest (children then start with
# the default and turn it into KeyboardInterrupt as usual).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "smartlab.db"


# Playwright's `expect` waits 5 s by default: a Rasa round trip and a page update under
# stress-ng took longer. Like eventually()'s timeout it is a safety net: a check that holds returns at once.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole session, shared by every browser test: Playwright's sync API
    runs one driver per thread, so a second `sync_playwright()` in the same thread fails."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session (each test gets its own database)."""
    server = PostgresServer().start()
    yield server
    server.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `postgresql` that use the store run twice: on SQLite and on PostgreSQL."""
    if "db_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker("postgresql"):
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(db_backend: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    if db_backend == "postgresql":
        return request.getfixturevalue("postgres").new_database()
    return f"sqlite:///{db_path}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A bare SQLAlchemy engine on the test's SQLite file (for stores other than runs)."""
    e = open_engine(db_url)
    yield e
    e.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[RunStore]:
    s = RunStore(db_url)
    yield s
    s.close()


@pytest.fixture
def write_flow(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(text: str, name: str = "flow.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def compiled(write_flow: Callable[[str, str], Path]) -> Callable[[str], CompiledFlow]:
    def build(text: str) -> CompiledFlow:
        flow, source = load_flow(write_flow(text, "flow.yaml"))
        return compile_flow(flow, source)

    return build



# Under `pytest -n N --dist loadfile` (pytest-xdist, as `make test` runs it) the tests of a file
# stay on one worker, in their order, so module fixtures are built once; and every test folder
# that needs a trained Rasa model or server goes to one worker, so each model trains once and one
# server per project serves them all (a file-path scope; pytest 9 leaves xdist_group marks unread).
RASA_FOLDERS = ("tests/rpa/nlu/", "tests/bots/enquiry_triage/", "tests/receptionist_robot/dialogue/")
# xdist hands out files by their number of tests, so a file of two tests that take minutes came
# last and one worker ended the run alone on it (4-5 min of the 2 kills' drain under load): these
# go out first, after the Rasa unit. Measured seconds in docs/development.md "Setup and tests".
FIRST = ("rasa", "tests/rpa/orchestrator/test_workers.py", "tests/rpa/engine/test_kill_resume.py",
         "tests/rpa/cli/test_cli.py", "tests/bots/form_processing/test_keying.py",
         "tests/receptionist_robot/test_controller.py", "tests/rpa/store/test_migrate.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class RasaTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "rasa" if path.startswith(RASA_FOLDERS) else path

        def _assign_work_unit(self, node: object) -> None:
            for scope in reversed(FIRST):  # the queue is complete by the first hand-out
                if scope in self.workqueue:
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return RasaTogether(config, log)
