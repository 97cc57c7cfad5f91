"""YAML text -> plain data plus a map from each data path to its line and column.

PyYAML keeps marks on nodes, not on the data it builds, so we walk the node tree once and
record where every key and value sits. Validation errors then point at the exact line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rpa.errors import FlowError, FlowErrors, Location

DataPath = tuple[str | int, ...]


class FlowLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so `on:` stays the key "on"."""


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


def read_source(path: str | Path) -> Source:
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FlowError(f"cannot read flow: {exc.strerror or exc}", Location(shown)) from exc
    return parse_source(text, shown)


def parse_source(text: str, path: str = "<string>") -> Source:
    loader = FlowLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, path) from exc
    except yaml.YAMLError as exc:
        raise FlowError(f"YAML error: {exc}", Location(path, 1, 1)) from exc
    finally:
        loader.dispose()
    source = Source(path, data)
    if node is not None:
        errors: list[FlowError] = []
        _walk(node, (), source, errors)
        if errors:
            raise FlowErrors(errors)
    return source


def _yaml_error(exc: yaml.MarkedYAMLError, path: str) -> FlowError:
    # An unclosed quote or bracket is found only at the end of the file; its start is the news.
    runaway = exc.context_mark is not None and "end of stream" in (exc.problem or "")
    mark = exc.context_mark if runaway else (exc.problem_mark or exc.context_mark)
    where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = exc.problem or "malformed YAML"
    if exc.context:
        problem = f"{exc.context}: {problem}"
    return FlowError(f"YAML syntax error: {problem}", where)


def _walk(node: yaml.Node, path: DataPath, source: Source, errors: list[FlowError]) -> None:
    source.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                errors.append(FlowError(f"duplicate key '{key}'", Location(source.path, *_mark(key_node))))
            seen.add(key)
            source.keys[path + (key,)] = _mark(key_node)
            _walk(value_node, path + (key,), source, errors)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), source, errors)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
