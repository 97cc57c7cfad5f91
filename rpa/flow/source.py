"""YAML text -> plain data plus a map from each data path to its line and column.

PyYAML keeps marks on nodes, not on the data it builds, so we walk the node tree once and
record where every key and value sits. Validation errors then point at the exact line.

Parsing is bounded before anything is built (each bound a `SMARTLAB_FLOW_*` setting): the
file's size, the number of aliases, the nesting depth, and the number of values the file
expands to when every alias is followed — so a "billion laughs" file of nested aliases, or a
recursive one, is refused with one line instead of filling memory.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rpa.errors import FlowError, FlowErrors, Location
from rpa.settings import integer

DataPath = tuple[str | int, ...]


QUARANTINE = "quarantine"


@dataclass(frozen=True)
class Limits:
    bytes: int
    aliases: int
    nodes: int
    depth: int
    states: int

    @classmethod
    def from_settings(cls, environ: Mapping[str, str] | None = None) -> Limits:
        names = ("BYTES", "ALIASES", "NODES", "DEPTH", "STATES")
        return cls(*(integer(f"SMARTLAB_FLOW_MAX_{name}", environ) for name in names))


class FlowLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so `on:` stays the key "on";
    it counts aliases and nesting while it composes, and stops at the limits."""

    def __init__(self, stream: str, limits: Limits, path: str) -> None:
        super().__init__(stream)
        self.limits, self.path, self.aliases, self.depth = limits, path, 0, 0
        self.state_count: int | None = None  # counted while the top-level `states:` is composed

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            self._bound(self.aliases, self.limits.aliases, "YAML aliases (*name)", "ALIASES")
        self.depth += 1
        opens = self.depth == 2 and isinstance(index, yaml.ScalarNode) and index.value == "states"
        self.state_count = 0 if opens else self.state_count
        try:
            self._bound(self.depth, self.limits.depth, "levels of nesting", "DEPTH")
            self._count_state(index)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1
            self.state_count = None if opens else self.state_count

    def _count_state(self, index: object) -> None:
        """A 10,000-state file is refused at state 1,001, not after all of it is parsed."""
        if self.state_count is not None and self.depth == 3 and index is None:
            self.state_count += 1
            self._bound(self.state_count, self.limits.states, "states", "STATES")

    def _bound(self, count: int, limit: int, what: str, setting: str) -> None:
        if count > limit:
            mark = self.peek_event().start_mark
            where = Location(self.path, mark.line + 1, mark.column + 1)
            raise FlowError(f"more than {limit} {what}: refused (SMARTLAB_FLOW_MAX_{setting})", where)


FlowLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
FlowLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class Source:
    path: str
    data: Any
    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: DataPath, *, key: bool = False) -> Location:
        """The location of `loc`, or of its nearest ancestor that the file spells out."""
        table = self.keys if key else self.values
        for n in range(len(loc), -1, -1):
            prefix = tuple(loc[:n])
            if prefix in table:
                return Location(self.path, *table[prefix])
            if prefix in self.values:
                return Location(self.path, *self.values[prefix])
        return Location(self.path, 1, 1)

    def error(self, message: str, loc: DataPath, *, key: bool = False) -> FlowError:
        return FlowError(message, self.locate(loc, key=key))


def read_source(path: str | Path, limits: Limits | None = None) -> Source:
    """Read and parse a flow file: a one-line FlowError for a quarantined, unreadable,
    too large or binary file."""
    limits, shown = limits or Limits.from_settings(), str(path)
    if QUARANTINE in Path(path).resolve().parts:
        raise FlowError("a quarantined file is evidence, never a flow", Location(shown))
    data = _read_bytes(Path(path), limits.bytes, shown)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FlowError(f"not a text (UTF-8) file: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                        Location(shown)) from None
    return parse_source(text, shown, limits)


def _read_bytes(path: Path, limit: int, shown: str) -> bytes:
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise FlowError(f"cannot read flow: {exc.strerror or exc}", Location(shown)) from exc
    if len(data) > limit:
        raise FlowError(f"larger than {limit} bytes: refused (SMARTLAB_FLOW_MAX_BYTES)", Location(shown))
    return data


def parse_source(text: str, path: str = "<string>", limits: Limits | None = None) -> Source:
    limits = limits or Limits.from_settings()
    if len(text.encode("utf-8", "surrogatepass")) > limits.bytes:
        raise FlowError(f"larger than {limits.bytes} bytes: refused (SMARTLAB_FLOW_MAX_BYTES)", Location(path))
    loader = None
    try:
        loader = FlowLoader(text, limits, path)  # the reader refuses control characters here
        node = loader.get_single_node()
        source = Source(path, None)
        if node is not None:
            _walk_all(node, source, limits)
            source.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, path) from exc
    except yaml.YAMLError as exc:
        raise FlowError(f"YAML error: {exc}", Location(path, 1, 1)) from exc
    finally:
        if loader is not None:
            loader.dispose()
    return source


def _walk_all(node: yaml.Node, source: Source, limits: Limits) -> None:
    """Record every location, counting values as aliases expand them (bounded before the
    data is built: the constructor would expand merge keys `<<: *a` in memory)."""
    errors: list[FlowError] = []
    _walk(node, (), source, errors, _Budget(limits, source.path))
    if errors:
        raise FlowErrors(errors)


class _Budget:
    """What the walk may still visit; an alias back to its own parent (a loop) runs out of depth."""

    def __init__(self, limits: Limits, path: str) -> None:
        self.left, self.limits, self.path = limits.nodes, limits, path

    def spend(self, node: yaml.Node, depth: int) -> None:
        self.left -= 1
        if self.left < 0:
            raise FlowError(f"expands to more than {self.limits.nodes} values (nested YAML aliases?): "
                            "refused (SMARTLAB_FLOW_MAX_NODES)", Location(self.path, *_mark(node)))
        if depth > self.limits.depth:
            raise FlowError(f"more than {self.limits.depth} levels of nesting (a YAML alias inside "
                            "itself?): refused (SMARTLAB_FLOW_MAX_DEPTH)", Location(self.path, *_mark(node)))


def _yaml_error(exc: yaml.MarkedYAMLError, path: str) -> FlowError:
    # An unclosed quote or bracket is found only at the end of the file; its start is the news.
    runaway = exc.context_mark is not None and "end of stream" in (exc.problem or "")
    mark = exc.context_mark if runaway else (exc.problem_mark or exc.context_mark)
    where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = exc.problem or "malformed YAML"
    if exc.context:
        problem = f"{exc.context}: {problem}"
    return FlowError(f"YAML syntax error: {problem}", where)


def _walk(node: yaml.Node, path: DataPath, source: Source, errors: list[FlowError], budget: _Budget) -> None:
    budget.spend(node, len(path))
    source.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # `{a: 1}: x` or `{{ x }}` unquoted
                errors.append(FlowError("a key must be a plain word, not a list or a mapping "
                                        "(quote a {{ template }})", Location(source.path, *_mark(key_node))))
                continue
            key = key_node.value
            if key in seen:
                errors.append(FlowError(f"duplicate key '{key}'", Location(source.path, *_mark(key_node))))
            seen.add(key)
            source.keys[path + (key,)] = _mark(key_node)
            _walk(value_node, path + (key,), source, errors, budget)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), source, errors, budget)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
