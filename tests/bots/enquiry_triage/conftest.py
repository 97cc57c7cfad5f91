"""Fixtures: the sample enquiries, and the session's one real Rasa server with the triage model
(shared with tests/rpa/nlu through rpa.nlu.testing, so it trains and starts once)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rpa.nlu import NluError, RasaServer, testing

SAMPLES = Path(__file__).resolve().parents[3] / "examples" / "enquiries"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def rasa_url() -> Iterator[str]:
    try:
        server: RasaServer = testing.shared_server("triage")
    except NluError as exc:
        pytest.fail(f"no Rasa server for the triage model (make setup installs Rasa): {exc}")
    yield server.url
    testing.stop_shared()
