"""The flows an orchestrator serves: every valid flow under a folder, by name.

The web (API and console) and the triggers start only these, by name; a path given by a
caller is never loaded (running a flow from a file is the CLI's, a developer's, action).
A worker resumes a run only if its flow file is one of these.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from rpa.errors import FlowError, NotServed
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

    def served(self, path: str) -> CompiledFlow:
        """The catalog's flow in this file; NotServed for any other file."""
        found = self.flows.get(str(Path(path).resolve()))
        if found is None:
            raise NotServed(f"{path} is not a flow of the served catalog")
        return found

    def by_name(self, name: str) -> CompiledFlow | None:
        return next((f for f in self.flows.values() if f.name == name), None)

    def named(self, name: str) -> CompiledFlow:
        """The catalog's flow of this name; NotServed (a 404 on the web) when there is none."""
        found = self.by_name(name)
        if found is None:
            raise NotServed(f"no flow named '{name}' in the served catalog")
        return found

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
