"""Imports point inward: `rpa` knows nothing of the bots or the robot, and only
`rpa/engine/` imports transitions (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    found |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and not n.level}
    return {name.split(".")[0] for name in found}


@pytest.mark.parametrize("package", sorted(p.name for p in (ROOT / "rpa").iterdir() if p.is_dir()
                                           and not p.name.startswith("_")))
def test_layering_rpa_does_not_import_bots_or_the_robot(package: str) -> None:
    for path in (ROOT / "rpa" / package).rglob("*.py"):
        assert not _imports(path) & {"bots", "receptionist_robot"}, path


def test_layering_only_the_engine_imports_transitions() -> None:
    code = [p for package in ("rpa", "bots", "receptionist_robot") for p in (ROOT / package).rglob("*.py")]
    importers = {p.relative_to(ROOT).parts[:2] for p in code if "transitions" in _imports(p)}
    assert importers == {("rpa", "engine")}


def _calls(path: Path) -> set[str]:
    """Names of the functions and methods a module calls (`x.create_run(...)` -> create_run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [n.func for n in ast.walk(tree) if isinstance(n, ast.Call)]
    return {f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "") for f in calls}


PRODUCT = [p for package in ("rpa", "bots", "receptionist_robot") for p in (ROOT / package).rglob("*.py")]
# A run is created, and its inputs resolved, only by the Runs service (rpa/engine/runs.py).
ONE_DOOR = {"create_run": "rpa/store/runs.py", "resolve_inputs": "rpa/flow/inputs.py",
            "from_environment": "rpa/flow/inputs.py"}


@pytest.mark.parametrize("name", sorted(ONE_DOOR))
def test_layering_every_run_starts_through_the_runs_service(name: str) -> None:
    callers = {str(p.relative_to(ROOT)) for p in PRODUCT if name in _calls(p)}
    assert callers <= {"rpa/engine/runs.py", ONE_DOOR[name]}, callers


def test_layering_only_the_engine_reaches_the_runner() -> None:
    """Nothing outside rpa/engine/ drives a run itself: `rpa.engine.runner` is the engine's own."""
    def reaches(path: Path) -> bool:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return any(isinstance(n, ast.ImportFrom) and n.module == "rpa.engine.runner" for n in ast.walk(tree))

    assert {p.relative_to(ROOT).parts[:2] for p in PRODUCT if reaches(p)} == {("rpa", "engine")}


@pytest.mark.parametrize("package", ["rpa/orchestrator", "rpa/web"])
def test_layering_scheduler_and_console_read_through_repositories(package: str) -> None:
    """The store's tables are read and written by rpa/store/ only (its repositories and views)."""
    def touches_tables(path: Path) -> bool:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return any(isinstance(n, ast.ImportFrom) and n.module == "rpa.store.schema" for n in ast.walk(tree))

    assert [p for p in (ROOT / package).rglob("*.py") if touches_tables(p)] == []
