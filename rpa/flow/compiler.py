"""Flow -> CompiledFlow: every activity, parameter, target and expression checked once.

All problems are collected and raised together as FlowErrors, each with its line.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import ValidationError

from rpa.activities.registry import PackageNotFound, Registry, registry_for
from rpa.activities.spec import ActivitySpec
from rpa.errors import FlowError, FlowErrors
from rpa.flow.expressions import ExpressionProblem, Renderer, compile_expression, compile_value
from rpa.flow.expressions import is_template as _is_template
from rpa.flow.model import Flow, State, Step
from rpa.flow.source import DataPath, Source


@dataclass(frozen=True)
class CompiledStep:
    index: int
    step: Step
    spec: ActivitySpec
    render_args: Renderer
    when: Renderer | None
    where: str

    @property
    def label(self) -> str:
        return self.step.label


@dataclass(frozen=True)
class CompiledState:
    name: str
    state: State
    steps: tuple[CompiledStep, ...]
    branches: tuple[tuple[Renderer, str], ...]

    @property
    def do_count(self) -> int:
        return len(self.state.do)


@dataclass(frozen=True)
class CompiledFlow:
    flow: Flow
    source: Source
    states: dict[str, CompiledState]
    registry: Registry = field(repr=False)

    @property
    def name(self) -> str:
        return self.flow.flow

    @property
    def path(self) -> str:
        return self.source.path

    @cached_property
    def source_hash(self) -> str:
        """sha256 of the flow's content (comments and layout aside): which version a run started with."""
        text = json.dumps(self.source.data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


class _Compiler:
    def __init__(self, flow: Flow, source: Source, registry: Registry | None) -> None:
        self.flow, self.source = flow, source
        self.errors: list[FlowError] = []
        self.inputs = frozenset(flow.inputs)
        self.registry = registry if registry is not None else self._registry()

    def error(self, message: str, loc: DataPath, *, key: bool = False) -> None:
        self.errors.append(self.source.error(message, loc, key=key))

    def _registry(self) -> Registry:
        registry = registry_for(())
        for i, name in enumerate(self.flow.uses):
            try:
                registry = registry.extended(registry_for([name]))
            except PackageNotFound as exc:
                self.error(str(exc), ("uses", i))
        return registry

    def compile(self) -> CompiledFlow:
        self._check_inputs()
        states = {name: self._state(name, state) for name, state in self.flow.states.items()}
        self._check_graph()
        if self.errors:
            raise FlowErrors(sorted(self.errors, key=_order))
        return CompiledFlow(self.flow, self.source, states, self.registry)

    def _check_inputs(self) -> None:
        from rpa.flow.inputs import coerce_input, schedule_problems

        for name, spec in self.flow.inputs.items():
            if spec.default is not None:
                try:
                    coerce_input(spec, spec.default)
                except ValueError as exc:
                    self.error(f"inputs.{name}.default: {exc}", ("inputs", name, "default"))
        for message, where in schedule_problems(self.flow):
            self.error(message, where)

    def _state(self, name: str, state: State) -> CompiledState:
        base: DataPath = ("states", name)
        steps = [self._step(base + ("do", i), i, s) for i, s in enumerate(state.do)]
        offset = len(state.do)
        steps += [self._step(base + ("finally", i), offset + i, s) for i, s in enumerate(state.finally_)]
        branches = tuple(
            (self._expr(b.when, base + ("on", i, "when")), b.goto) for i, b in enumerate(state.on)
        )
        return CompiledState(name, state, tuple(s for s in steps if s), branches)  # type: ignore[misc]

    def _step(self, loc: DataPath, index: int, step: Step) -> CompiledStep | None:
        spec = self.registry.get(step.activity)
        when = self._expr(step.when, loc + ("when",)) if step.when else None
        if spec is None:
            self.error(f"unknown activity '{step.activity}'{self._suggest(step.activity)}", loc + ("activity",))
            return None
        self._check_params(loc, spec, step.with_)
        try:
            render = compile_value(step.with_, self.inputs)
        except ExpressionProblem:
            render = _never
        line = self.source.locate(loc)
        return CompiledStep(index, step, spec, render, when, str(line))

    def _check_params(self, loc: DataPath, spec: ActivitySpec, given: dict[str, Any]) -> None:
        for key, value in given.items():
            where = loc + ("with", key)
            param = spec.params.get(key)
            if param is None and not spec.open_params:
                self.error(f"{spec.name} has no parameter '{key}'{_close(key, spec.params)}", where, key=True)
            elif _has_template(value):
                self._check_templates(value, where)
            elif param is not None:
                self._check_type(param, value, where, spec.name)
        for name, param in spec.params.items():
            if param.required and name not in given:
                self.error(f"{spec.name} needs parameter '{name}' ({param.type_name})", loc + ("with",))

    def _check_type(self, param: Any, value: Any, where: DataPath, activity: str) -> None:
        try:
            param.adapter.validate_python(value)
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"]
            self.error(f"{activity}: parameter '{param.name}' expects {param.type_name}: {reason}", where)

    def _check_templates(self, value: Any, where: DataPath) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                self._check_templates(v, where + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self._check_templates(v, where + (i,))
        elif _is_template(value):
            try:
                compile_value(value, self.inputs)
            except ExpressionProblem as exc:
                self.error(str(exc), where)

    def _expr(self, expr: str, where: DataPath) -> Renderer:
        try:
            return compile_expression(expr, self.inputs)
        except ExpressionProblem as exc:
            self.error(str(exc), where)
            return _never

    def _suggest(self, name: str) -> str:
        close = difflib.get_close_matches(name, self.registry.names(), n=1)
        return f" (did you mean '{close[0]}'?)" if close else ""

    def _check_graph(self) -> None:
        states = self.flow.states
        if self.flow.start and self.flow.start not in states:
            self.error(f"start state '{self.flow.start}' is not defined", ("start",))
            return
        for name, state in states.items():
            for field_loc, target in _target_locations(name, state):
                if target not in states:
                    self.error(f"'{target}' is not a state{_close(target, states)}", field_loc)
        reachable = _reachable(self.flow)
        for name in states:
            if name not in reachable:
                self.error(f"state '{name}' is unreachable from '{self.flow.start_state}'", ("states", name), key=True)
        if not any(states[n].final for n in reachable if n in states):
            self.error("no final state is reachable: add a state with 'final: success'", ("states",), key=True)
        for name in reachable:
            state = states.get(name)
            if state is not None and not state.final and not state.next and not state.on:
                self.error(f"state '{name}' has no 'next:' and is not final", ("states", name), key=True)


def compile_flow(flow: Flow, source: Source, registry: Registry | None = None) -> CompiledFlow:
    return _Compiler(flow, source, registry).compile()


def _target_locations(name: str, state: State) -> list[tuple[DataPath, str]]:
    base: DataPath = ("states", name)
    found = [(base + ("on", i, "goto"), b.goto) for i, b in enumerate(state.on)]
    if state.next:
        found.append((base + ("next",), state.next))
    found += [(base + ("catch", i, "goto"), c.goto) for i, c in enumerate(state.catch)]
    return found


def _reachable(flow: Flow) -> set[str]:
    seen, todo = set(), [flow.start_state]
    while todo:
        name = todo.pop()
        if name in seen or name not in flow.states:
            continue
        seen.add(name)
        todo.extend(flow.states[name].targets())
    return seen


def _has_template(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_template(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_template(v) for v in value)
    return _is_template(value)


def _close(name: str, options: Any) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _order(error: FlowError) -> tuple[int, int]:
    loc = error.location
    return (loc.line, loc.col) if loc else (0, 0)


def _never(scope: Any) -> Any:
    raise RuntimeError("this expression failed to compile")

