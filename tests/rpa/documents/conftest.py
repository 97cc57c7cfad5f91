"""Real documents for the reader tests: the committed sample and freshly generated forms."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "forms" / "sample"


def load_generator() -> ModuleType:
    path = ROOT / "examples" / "forms" / "generate.py"
    spec = importlib.util.spec_from_file_location("forms_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="session")
def sample() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def truth() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in SAMPLE.glob("*.json")}


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    return load_generator()
