"""Real forms for the bot's tests: the committed sample and forms generated into tmp dirs."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "forms" / "sample"


def _generator() -> ModuleType:
    path = ROOT / "examples" / "forms" / "generate.py"
    spec = importlib.util.spec_from_file_location("forms_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def truth_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    return _generator()


@pytest.fixture(scope="session")
def flawed_forms(tmp_path_factory: pytest.TempPathFactory, generator: ModuleType) -> list[Path]:
    """Digital forms that each carry one deliberate flaw (named in their truth's `flaws`)."""
    out = tmp_path_factory.mktemp("flawed")
    rate, generator.FLAW_RATE = generator.FLAW_RATE, 1.0
    try:
        files = generator.generate(out, count=12, seed=21, scans=False)
    finally:
        generator.FLAW_RATE = rate
    return sorted(p for p in files if p.suffix == ".pdf")


@pytest.fixture(scope="session")
def digital_forms(tmp_path_factory: pytest.TempPathFactory, generator: ModuleType) -> list[Path]:
    out = tmp_path_factory.mktemp("digital")
    files = generator.generate(out, count=12, seed=33, scans=False)
    return sorted(p for p in files if p.suffix == ".pdf")


@pytest.fixture
def unseen_scan(tmp_path: Path, generator: ModuleType) -> Callable[[str], Path]:
    def make(form_type: str) -> Path:
        files = generator.generate(tmp_path, count=1, seed=99, types=[form_type], dpis=(200,))
        return next(p for p in files if "-scan." in p.name and p.suffix != ".json")
    return make
