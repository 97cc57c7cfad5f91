"""Jinja2 templates and `when:` expressions, sandboxed, with strict undefined.

A string that is exactly one `{{ expression }}` keeps the expression's type (a number stays a
number); any other string with `{{ }}` renders to text. Everything is compiled once, when the
flow is compiled, and checked for names a flow cannot see. An expression evaluated in a run's
`RunScope` reuses the Jinja context it made there the first time (the scope's dicts change in
place, so one context per expression per run sees every change), instead of making one per call.
A simple expression (names, attributes, constants, operators, comparisons) skips Jinja's render
path altogether: `rpa.flow.direct` makes it one Python function doing the same sandboxed calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.runtime import new_context

from rpa.flow.direct import compile_direct
from rpa.flow.sandbox import BoundedEnvironment, TemplateLimit, render_bounded, rendering

NAMES = frozenset({"inputs", "vars", "secrets", "item", "run"})
_SINGLE = re.compile(r"^\{\{(?P<expr>(?:(?!\}\}).)*)\}\}\Z", re.S)

ENV = BoundedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)

Scope = Mapping[str, Any]
Renderer = Callable[[Scope], Any]


class RunScope(dict):
    """The names a run's expressions see, and the Jinja contexts its expressions made in them."""

    __slots__ = ("contexts",)

    def __init__(self, names: Mapping[str, Any]) -> None:
        super().__init__(ENV.globals)
        self.update(names)
        self.contexts: dict[int, Any] = {}


class ExpressionProblem(ValueError):
    """An expression that cannot compile or names something the flow cannot see."""


def is_template(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def compile_value(value: Any, inputs: frozenset[str] = frozenset()) -> Renderer:
    """Compile a `with:` value (strings, lists, dicts nested) into a function of the scope."""
    if isinstance(value, dict):
        parts = {k: compile_value(v, inputs) for k, v in value.items()}
        return lambda scope: {k: r(scope) for k, r in parts.items()}
    if isinstance(value, list):
        items = [compile_value(v, inputs) for v in value]
        return lambda scope: [r(scope) for r in items]
    if not is_template(value):
        return lambda scope: value
    single = _SINGLE.match(value)
    if single and "{%" not in value:
        return compile_expression(single["expr"], inputs)
    check(value, inputs)
    try:  # an unknown filter or test is found only when the template compiles
        template = ENV.from_string(value)
    except TemplateError as exc:
        raise ExpressionProblem(f"expression does not compile: {exc.message or exc}") from None

    def render(scope: Scope) -> str:
        with rendering():  # generate() copies the scope: globals included
            return render_bounded(template.generate(scope))

    return render


def compile_expression(expr: str, inputs: frozenset[str] = frozenset()) -> Renderer:
    """Compile `expr` (no braces) into a function returning its value."""
    check("{{ " + expr + " }}", inputs)
    try:  # `{{ 0, }}` parses as a template but not as an expression
        template = ENV.compile_expression(expr, undefined_to_none=False)._template  # noqa: SLF001
    except TemplateError as exc:
        raise ExpressionProblem(f"expression does not compile: {exc.message or exc}") from None
    direct = compile_direct(ENV, expr)
    if direct is not None:  # the same calls as Jinja's code for it, without its render path
        return direct
    render, name, blocks = template.root_render_func, template.name, template.blocks
    me = id(template)

    def evaluate(scope: Scope) -> Any:
        # What TemplateExpression.__call__ does, minus copying the scope and globals on every
        # call: the scope already carries the globals (see `scope_globals`).
        contexts = getattr(scope, "contexts", None)
        context = None if contexts is None else contexts.get(me)
        if context is None:
            context = new_context(ENV, name, blocks, scope, shared=True)  # type: ignore[arg-type]
            if contexts is not None:
                contexts[me] = context
        with rendering():
            for _ in render(context):
                pass
        return context.vars["result"]

    return evaluate


def scope_globals() -> dict[str, Any]:
    """Jinja's globals (range, dict, namespace...), to be merged into every scope once."""
    return dict(ENV.globals)


def check(source: str, inputs: frozenset[str] = frozenset()) -> None:
    """Raise ExpressionProblem for bad syntax, unknown top-level names or undeclared inputs."""
    try:
        tree = ENV.parse(source)
    except TemplateError as exc:
        raise ExpressionProblem(f"expression does not compile: {exc.message or exc}") from None
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    unknown = sorted(names - NAMES - assigned - set(ENV.globals))
    if unknown:
        known = ", ".join(sorted(NAMES))
        raise ExpressionProblem(f"unknown variable '{unknown[0]}' (expressions can use {known})")
    missing = sorted(_inputs_named(tree) - inputs)
    if missing:
        raise ExpressionProblem(f"'inputs.{missing[0]}' is not declared under inputs:")


def _inputs_named(tree: nodes.Template) -> set[str]:
    found = {n.attr for n in tree.find_all(nodes.Getattr) if _is_inputs(n.node)}
    for n in tree.find_all(nodes.Getitem):
        if _is_inputs(n.node) and isinstance(n.arg, nodes.Const) and isinstance(n.arg.value, str):
            found.add(n.arg.value)
    return found


def _is_inputs(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == "inputs"


__all__ = ["ENV", "ExpressionProblem", "RunScope", "TemplateLimit", "check", "compile_expression", "compile_value",
           "is_template",
           "scope_globals"]
