"""The direct path of simple expressions gives what Jinja's render path gives: values, errors, bounds."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest
from jinja2 import Undefined
from jinja2.sandbox import SecurityError

from rpa.flow.direct import compile_direct
from rpa.flow.expressions import ENV, RunScope, TemplateLimit, compile_expression

SCOPE = {"inputs": {"n": 3, "name": "ada", "items": [1, 2]}, "item": None, "secrets": {},
         "vars": {"i": 2, "s": "ab", "f": 1.5, "flag": True, "none": None, "d": {"k": [10, 20]},
                  "items": "shadowed by dict.items", "od": OrderedDict(k=1)}, "run": {"id": "r1"}}

SIMPLE = [
    "vars.i + 1", "vars.i < inputs.n", "vars.i < inputs.n < 10", "vars.i - 3 * 2", "vars.i / 4",
    "vars.i // 4", "vars.i % 2", "vars.i ** 3", "-vars.i", "+vars.f", "not vars.flag",
    "vars.flag and vars.i", "vars.none or 'x'", "vars.s + 'c'", "vars.s * 3", "vars['i'] == 2",
    "vars.d.k[1]", "vars.d['k'][0] != 10", "vars.i in inputs.items", "3 not in [1, 2]",
    "(1, vars.i)", "[vars.s, 1.25, None, true]", "vars.items", "inputs.name >= 'b'", "item",
    "vars.i + 0.5", "2 ** 10", "vars.od.k", "vars.od.missing", "vars.d.keys", "vars.s.k",
]
FAILING = [
    "vars.missing + 1", "vars.missing < 3", "vars.s + 1", "vars.i / 0", "vars.none.x + 1",
    "vars.d.k[5]", "vars.s * 10 ** 7", "vars.s.__class__.__mro__", "not vars.missing",
    "[nothing] == [nothing]",  # one undefined per use: list equality must reach its strict __eq__
]
JINJA_ONLY = ["vars.s | upper", "vars.i is defined", "range(3)", "vars.s[1:]", "vars.s ~ 'x'",
              "1 if vars.flag else 2", "{'a': 1}", "vars.s.upper()"]


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        value = call()
    except Exception as exc:  # the very class and message are what must match
        return type(exc).__name__, str(exc)
    if isinstance(value, Undefined):
        return "undefined", (type(value).__name__, value._undefined_name)  # noqa: SLF001
    return "value", (type(value).__name__, value)


def _jinja(expr: str) -> Any:
    return ENV.compile_expression(expr, undefined_to_none=False)


@pytest.mark.parametrize("expr", SIMPLE + FAILING)
def test_direct_matches_jinja(expr: str) -> None:
    direct = compile_direct(ENV, expr)
    assert direct is not None, f"{expr} should take the direct path"
    assert _outcome(lambda: direct(SCOPE)) == _outcome(lambda: _jinja(expr)(**SCOPE))


@pytest.mark.parametrize("expr", JINJA_ONLY)
def test_direct_leaves_the_rest_to_jinja(expr: str) -> None:
    assert compile_direct(ENV, expr) is None
    assert _outcome(lambda: compile_expression(expr)(RunScope(SCOPE))) == _outcome(lambda: _jinja(expr)(**SCOPE))


def test_direct_keeps_the_sandbox() -> None:
    direct = compile_direct(ENV, "vars.s.__class__.__mro__")
    assert direct is not None
    with pytest.raises(SecurityError):
        direct(SCOPE)


def test_direct_keeps_the_output_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_TEMPLATE_MAX_OUTPUT", "5")
    with pytest.raises(TemplateLimit):
        compile_expression("vars.s * 3")(RunScope(SCOPE))


def test_direct_sees_a_run_scope_change_in_place() -> None:
    scope = RunScope({**SCOPE, "vars": dict(SCOPE["vars"])})
    guard = compile_expression("vars.i < inputs.n", frozenset({"n"}))
    assert guard(scope) is True
    scope["vars"]["i"] = 3
    assert guard(scope) is False
