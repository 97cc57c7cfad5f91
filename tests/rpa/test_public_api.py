"""Each package's front door: a sorted __all__ whose names all exist."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ["rpa.activities", "rpa.audit", "rpa.auth", "rpa.engine", "rpa.flow",
            "rpa.orchestrator", "rpa.secrets", "rpa.store", "rpa.web"]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_all_is_sorted_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__all__ == sorted(module.__all__)
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.{attr}"
