"""Which activities a flow may call: the built-ins plus the packages it names in `uses:`.

A package offers activities as an explicit list, `ACTIVITIES = [...]`, in its `__init__`;
third-party packages add theirs through the entry-point group `smartlab.activities`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import entry_points
from typing import Any

from rpa.activities.spec import ActivitySpec, spec

ENTRY_POINT_GROUP = "smartlab.activities"


class PackageNotFound(LookupError):
    """`uses:` names a package that cannot be imported or has no ACTIVITIES list."""


class Registry:
    def __init__(self, specs: Iterable[ActivitySpec] = ()) -> None:
        self._specs: dict[str, ActivitySpec] = {}
        for s in specs:
            self._specs[s.name] = s

    def get(self, name: str) -> ActivitySpec | None:
        return self._specs.get(name)

    def names(self) -> list[str]:
        return sorted(self._specs)

    def __iter__(self) -> Iterator[ActivitySpec]:
        return iter(sorted(self._specs.values(), key=lambda s: s.name))

    def __len__(self) -> int:
        return len(self._specs)

    def extended(self, specs: Iterable[ActivitySpec]) -> Registry:
        return Registry([*self._specs.values(), *specs])


def specs_of(functions: Iterable[Callable[..., Any]]) -> list[ActivitySpec]:
    return [spec(f) for f in functions]


def package_activities(name: str) -> list[ActivitySpec]:
    """The activities of package `name`: an entry point of that name, else `name.ACTIVITIES`."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            return specs_of(ep.load())
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise PackageNotFound(f"package '{name}' cannot be imported ({exc})") from exc
    if not hasattr(module, "ACTIVITIES"):
        raise PackageNotFound(f"package '{name}' has no ACTIVITIES list")
    return specs_of(module.ACTIVITIES)


def builtin_registry() -> Registry:
    from rpa.activities import BUILTINS

    return Registry(specs_of(BUILTINS))


def registry_for(uses: Iterable[str]) -> Registry:
    registry = builtin_registry()
    for name in uses:
        registry = registry.extended(package_activities(name))
    return registry


def all_packages() -> dict[str, list[ActivitySpec]]:
    """Built-ins and every installed package, for `smartlab activities`."""
    found = {"builtins": list(builtin_registry())}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = specs_of(ep.load())
    return found
