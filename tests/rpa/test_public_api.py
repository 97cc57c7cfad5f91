"""Each package's front door: a sorted __all__ whose names all exist."""

from __future__ import annotations

import importlib

import pytest

from rpa.errors import SmartLabError

PACKAGES = ["rpa.activities", "rpa.audit", "rpa.auth", "rpa.engine", "rpa.flow",
            "rpa.orchestrator", "rpa.secrets", "rpa.store", "rpa.web"]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_all_is_sorted_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__all__ == sorted(module.__all__)
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.{attr}"


@pytest.mark.parametrize("name", PACKAGES)
def test_package_errors_belong_to_the_smartlab_tree(name: str) -> None:
    module = importlib.import_module(name)
    public = [getattr(module, attr) for attr in module.__all__]
    errors = [obj for obj in public if isinstance(obj, type) and issubclass(obj, Exception)]
    assert all(issubclass(e, SmartLabError) for e in errors), errors
