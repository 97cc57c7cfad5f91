"""The flows an orchestrator serves: every valid flow under a folder, by path and by name."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from rpa.errors import FlowError
from rpa.flow import CompiledFlow, load_and_compile
from rpa.flow.triggers import Schedule, Watch

log = logging.getLogger("smartlab.orchestrator")


@dataclass
class Catalog:
    flows: dict[str, CompiledFlow] = field(default_factory=dict)  # by resolved path
    problems: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: str | Path) -> Catalog:
        catalog = cls()
        for path in sorted(Path(folder).rglob("*.yaml")):
            catalog._add(path)
        return catalog

    def _add(self, path: Path) -> None:
        if "tours" in path.parts:
            return  # tour routes live beside flows but are not flows
        try:
            compiled = load_and_compile(str(path))
        except FlowError as exc:
            self.problems[str(path)] = str(exc)
            log.warning("skipping flow %s: %s", path, str(exc).splitlines()[0])
            return
        self.flows[str(path.resolve())] = compiled

    def by_path(self, path: str) -> CompiledFlow:
        resolved = str(Path(path).resolve())
        if resolved not in self.flows:
            self.flows[resolved] = load_and_compile(path)
        return self.flows[resolved]

    def by_name(self, name: str) -> CompiledFlow | None:
        return next((f for f in self.flows.values() if f.name == name), None)

    def find(self, name_or_path: str) -> CompiledFlow:
        found = self.by_name(name_or_path)
        return found if found is not None else self.by_path(name_or_path)

    def consumers(self) -> list[tuple[str, CompiledFlow, int, int]]:
        """(queue, flow, max concurrent runs, min waiting items) for flows started by items."""
        found = []
        for flow in self.flows.values():
            consumed = flow.flow.consumed_queue()
            if consumed:
                queue, limit, least = consumed
                found.append((queue, flow, limit, least))
        return found

    def watches(self) -> list[tuple[Watch, CompiledFlow]]:
        return [(t, f) for f in self.flows.values() for t in f.flow.triggers if t.type == "watch"]

    def schedules(self) -> list[tuple[str, Schedule, CompiledFlow]]:
        return [(f"{f.path}#{i}", t, f) for f in self.flows.values()
                for i, t in enumerate(f.flow.triggers) if t.type == "schedule"]
