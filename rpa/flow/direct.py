"""Simple expressions as plain Python functions, doing what Jinja's generated code does.

Most `when:` guards and `{{ }}` values are a few names, attributes, constants, operators and
comparisons (`vars.i < inputs.n`, `vars.count + 1`). For those, Jinja's render path (a context,
a generator, a budget per call) costs more than the expression. `compile_direct` turns such an
expression into one Python function that makes the very calls Jinja's code generator writes
for it: names resolved in the scope (a missing one is the environment's StrictUndefined),
every attribute and item through the sandbox's `getattr`/`getitem`, every operator the
sandbox intercepts through its `call_binop`/`call_unop` (so the `SMARTLAB_TEMPLATE_*` bounds
hold), the rest as Python's own operators. Anything else (calls, filters, tests, slices,
`~`, conditionals, dicts) returns None and keeps the Jinja path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import nodes
from jinja2.environment import Environment
from jinja2.parser import Parser
from jinja2.utils import missing

Direct = Callable[[Mapping[str, Any]], Any]

_COMPARE = {"eq": "==", "ne": "!=", "gt": ">", "gteq": ">=", "lt": "<", "lteq": "<=",
            "in": "in", "notin": "not in"}
_CONST = (str, int, bool, type(None))


_DICT_ATTRIBUTES = frozenset(dir(dict))


def _key_of(env: Environment) -> Callable[[Any, str], Any]:
    """`obj.name` for a name no dict has as an attribute: on an object of type dict exactly,
    Jinja's getattr would fail `getattr` (raising and catching AttributeError) and then return
    the item or an undefined; this goes to the item at once. Anything else goes to Jinja's."""
    getattr_, undefined = env.getattr, env.undefined

    def key(obj: Any, name: str) -> Any:
        if type(obj) is not dict:
            return getattr_(obj, name)
        try:
            return obj[name]
        except KeyError:
            return undefined(obj=obj, name=name)

    return key


class _Unsupported(Exception):  # noqa: N818 (control flow: keep the Jinja path)
    pass


def compile_direct(env: Environment, expr: str) -> Direct | None:
    """`expr` (no braces) as a function of the scope, or None when Jinja must render it."""
    node = Parser(env, expr, state="variable").parse_expression()
    try:
        names: dict[str, str] = {}
        body = _Source(env, names).visit(node)
    except _Unsupported:
        return None
    lines = [f"    {local} = scope.get({name!r}, missing)" for name, local in names.items()]
    source = "def direct(scope):\n" + "\n".join([*lines, f"    return {body}"])
    namespace: dict[str, Any] = {"environment": env, "undefined": env.undefined, "key": _key_of(env),
                                 "missing": missing}
    exec(compile(source, f"<direct {expr!r}>", "exec"), namespace)  # noqa: S102 (our own code, from the AST)
    return namespace["direct"]


class _Source:
    """Python source for one expression node, written as Jinja's CodeGenerator writes it."""

    def __init__(self, env: Environment, names: dict[str, str]) -> None:
        self.env, self.names = env, names

    def visit(self, node: nodes.Node) -> str:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise _Unsupported(type(node).__name__)
        return method(node)

    def _Name(self, node: nodes.Name) -> str:  # noqa: N802 (named after the node class)
        if node.ctx != "load":
            raise _Unsupported("store")
        local = self.names.setdefault(node.name, f"l_{len(self.names)}")
        # a new undefined at each use, as Jinja's code makes: `[x] == [x]` must not find one
        # object twice (list equality would skip the undefined's strict __eq__)
        return f"(undefined(name={node.name!r}) if {local} is missing else {local})"

    def _Const(self, node: nodes.Const) -> str:  # noqa: N802
        value = node.value
        if isinstance(value, float) and math.isfinite(value):
            return str(value)
        if not isinstance(value, _CONST):
            raise _Unsupported("constant")
        return repr(value)

    def _Getattr(self, node: nodes.Getattr) -> str:  # noqa: N802
        if node.attr not in _DICT_ATTRIBUTES:  # `vars.i`: on a plain dict, Jinja's getattr ends at the key
            return f"key({self.visit(node.node)}, {node.attr!r})"
        return f"environment.getattr({self.visit(node.node)}, {node.attr!r})"

    def _Getitem(self, node: nodes.Getitem) -> str:  # noqa: N802
        if isinstance(node.arg, nodes.Slice):
            raise _Unsupported("slice")
        return f"environment.getitem({self.visit(node.node)}, {self.visit(node.arg)})"

    def _binop(self, node: nodes.BinExpr) -> str:
        op, left, right = node.operator, self.visit(node.left), self.visit(node.right)
        if op in self.env.intercepted_binops:  # type: ignore[attr-defined]
            return f"environment.call_binop(None, {op!r}, {left}, {right})"
        return f"({left} {op} {right})"

    _Add = _Sub = _Mul = _Div = _FloorDiv = _Mod = _Pow = _binop

    def _unop(self, node: nodes.UnaryExpr) -> str:
        op, operand = node.operator, self.visit(node.node)
        if op in self.env.intercepted_unops:  # type: ignore[attr-defined]
            return f"environment.call_unop(None, {op!r}, {operand})"
        return f"({op}{operand})"

    _Neg = _Pos = _unop

    def _Not(self, node: nodes.Not) -> str:  # noqa: N802
        return f"(not {self.visit(node.node)})"

    def _And(self, node: nodes.And) -> str:  # noqa: N802
        return f"({self.visit(node.left)} and {self.visit(node.right)})"

    def _Or(self, node: nodes.Or) -> str:  # noqa: N802
        return f"({self.visit(node.left)} or {self.visit(node.right)})"

    def _Compare(self, node: nodes.Compare) -> str:  # noqa: N802
        parts = [self.visit(node.expr)]
        for operand in node.ops:
            parts += [_COMPARE[operand.op], self.visit(operand.expr)]
        return f"({' '.join(parts)})"

    def _List(self, node: nodes.List) -> str:  # noqa: N802
        return f"[{', '.join(self.visit(item) for item in node.items)}]"

    def _Tuple(self, node: nodes.Tuple) -> str:  # noqa: N802
        return f"({''.join(self.visit(item) + ', ' for item in node.items)})"
