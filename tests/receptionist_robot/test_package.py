from __future__ import annotations

import importlib

import pytest

import receptionist_robot
from receptionist_robot import errors
from rpa.errors import SmartLabError


@pytest.mark.parametrize("name", ["receptionist_robot", "receptionist_robot.simulator"])
def test_package_all_is_sorted_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__all__ == sorted(module.__all__)
    assert all(hasattr(module, n) for n in module.__all__)


def test_package_errors_form_one_tree_drawn_in_the_docstring() -> None:
    classes = [c for c in vars(errors).values()
               if isinstance(c, type) and issubclass(c, receptionist_robot.RobotError)]
    assert all(issubclass(c, SmartLabError) for c in classes)
    assert all(c.__name__ in (errors.__doc__ or "") for c in classes)


def test_package_imports_serial_in_one_module_only() -> None:
    from pathlib import Path
    root = Path(receptionist_robot.__file__).parent
    importers = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
                 if "import serial" in p.read_text(encoding="utf-8")]
    assert importers == ["link.py"]
