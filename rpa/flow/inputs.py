"""Typed flow inputs: `-i key=value` strings and YAML defaults -> the declared types."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rpa.flow.model import Flow, InputSpec

_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"'{value}' is not true or false")


def _to_json(kind: type) -> Any:
    def convert(value: Any) -> Any:
        parsed = json.loads(value) if isinstance(value, str) else value
        if not isinstance(parsed, kind):
            raise ValueError(f"expected a {kind.__name__}, got {type(parsed).__name__}")
        return parsed

    return convert


def _to_number(kind: type) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(f"expected {kind.__name__}")
        return kind(value)

    return convert


_COERCE = {
    "str": str,
    "path": str,
    "int": _to_number(int),
    "float": _to_number(float),
    "bool": _to_bool,
    "list": _to_json(list),
    "dict": _to_json(dict),
}


def coerce_input(spec: InputSpec, value: Any) -> Any:
    try:
        return _COERCE[spec.type](value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"expected {spec.type}: {exc}") from None


def env_name(flow: Flow, name: str) -> str:
    """`SMARTLAB_INPUT_<FLOW>__<INPUT>`: where a deployment sets an input runs don't pass."""
    return f"SMARTLAB_INPUT_{flow.flow.upper()}__{name.upper()}"


def from_environment(flow: Flow, environ: Mapping[str, str]) -> dict[str, str]:
    return {n: environ[env_name(flow, n)] for n in flow.inputs if env_name(flow, n) in environ}


def resolve_inputs(flow: Flow, given: Mapping[str, Any]) -> dict[str, Any]:
    """Given values over defaults, each converted to its declared type; ValueError says which."""
    unknown = sorted(set(given) - set(flow.inputs))
    if unknown:
        declared = ", ".join(flow.inputs) or "none"
        raise ValueError(f"unknown input '{unknown[0]}' (this flow declares: {declared})")
    resolved: dict[str, Any] = {}
    for name, spec in flow.inputs.items():
        if name in given:
            value = given[name]
        elif not spec.is_required:
            value = spec.default
        else:
            raise ValueError(f"input '{name}' is required ({spec.type})")
        try:
            resolved[name] = None if value is None else coerce_input(spec, value)
        except ValueError as exc:
            raise ValueError(f"input '{name}': {exc}") from None
    return resolved


def schedule_problems(flow: Flow) -> list[tuple[str, tuple[str | int, ...]]]:
    """What is wrong with the inputs each `schedule` trigger gives, found when the flow loads
    (a required input may still come from SMARTLAB_INPUT_*; that is checked when it fires)."""
    found: list[tuple[str, tuple[str | int, ...]]] = []
    for i, trigger in enumerate(flow.triggers):
        for name, value in getattr(trigger, "inputs", {}).items():
            where = ("triggers", i, "inputs", name)
            spec = flow.inputs.get(name)
            if spec is None:
                declared = ", ".join(flow.inputs) or "none"
                found.append((f"schedule input '{name}' is not an input of this flow (declared: {declared})", where))
                continue
            try:
                coerce_input(spec, value)
            except ValueError as exc:
                found.append((f"schedule input '{name}': {exc}", where))
    return found
