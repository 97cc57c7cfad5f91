"""Session fixtures: the triage model trained once (cached by data hash), one Rasa server."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from rpa.nlu import RasaServer, TrainResult, nlu_home, testing
from rpa.nlu.errors import RasaError

_ANNOTATED = re.compile(r"\[([^\]]+)\]\([^)]+\)")


@pytest.fixture(scope="session")
def triage_model() -> TrainResult:
    try:
        return testing.shared_model("triage")
    except RasaError as exc:
        pytest.fail(f"Rasa cannot train here (make setup installs it in nlu/.venv): {exc}")


@pytest.fixture(scope="session")
def triage_server(triage_model: TrainResult) -> Iterator[RasaServer]:
    yield testing.shared_server("triage")
    testing.stop_shared()


@pytest.fixture(scope="session")
def triage_examples() -> Callable[[str], list[tuple[str, str]]]:
    """The triage project's own examples as (text, intent): `data/nlu` or held-out `tests`."""

    def read(folder: str = "data/nlu") -> list[tuple[str, str]]:
        pairs = []
        for path in sorted(Path(nlu_home(), "triage", folder).glob("*.yml")):
            pairs += _pairs(path)
        return pairs

    return read


def _pairs(path: Path) -> list[tuple[str, str]]:
    found = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in item["examples"].splitlines():
            text = _ANNOTATED.sub(r"\1", line.strip().removeprefix("- "))
            if text:
                found.append((text, item["intent"]))
    return found
