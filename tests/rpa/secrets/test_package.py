"""rpa.secrets's front door: a sorted __all__ whose names all exist, errors under SmartLabError."""

from __future__ import annotations

import rpa.secrets as package
from rpa.errors import SmartLabError


def test_package_all_is_sorted_and_importable() -> None:
    assert package.__all__ == sorted(package.__all__)
    assert all(hasattr(package, name) for name in package.__all__)


def test_package_errors_are_smartlab_errors() -> None:
    public = [getattr(package, name) for name in package.__all__]
    errors = [obj for obj in public if isinstance(obj, type) and issubclass(obj, Exception)]
    assert errors and all(issubclass(e, SmartLabError) for e in errors)
