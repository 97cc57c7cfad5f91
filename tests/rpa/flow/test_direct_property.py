"""Generated simple expressions: the direct path and Jinja's render path agree on every one.

Expressions are built from the node kinds `rpa.flow.direct` handles (names, attributes, items,
constants, arithmetic, comparisons, `and`/`or`/`not`, lists, tuples) over a scope with values
of several types, missing names and a dict subclass, so the outcomes include values, undefined,
type errors, sandbox refusals and size limits. Each must be the same: value and type, or the
error's class and message.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from jinja2 import Undefined

from rpa.flow.direct import compile_direct
from rpa.flow.expressions import ENV
from tests.rpa.flow.test_direct import _jinja

LONG = os.environ.get("SMARTLAB_FUZZ_PROFILE") == "long"
BUDGET = settings(max_examples=3000 if LONG else 300, deadline=None, derandomize=not LONG)

SCOPE = {"inputs": {"n": 3, "name": "ada", "items": [1, 2], "none": None},
         "vars": {"i": 2, "z": 0, "s": "ab", "f": 1.5, "flag": True, "no": False, "l": [1, "x"],
                  "d": {"k": [10, 20], "0": "zero"}, "od": OrderedDict(k=1), "items": "a key"},
         "item": None, "run": {"id": "r1"}, "secrets": {}}

LEAVES = st.sampled_from([
    "vars.i", "vars.z", "vars.s", "vars.f", "vars.flag", "vars.no", "vars.l", "vars.d", "vars.d.k",
    "vars.od", "vars.od.k", "vars.items", "vars.missing", "inputs.n", "inputs.items", "inputs.none",
    "item", "run.id", "nothing", "vars.s.__class__", "vars.d.keys", "vars.od.keys", "vars.d.items",
    "vars.d['0']", "vars.l[1]", "inputs.name", "0", "1", "3", "-2", "0.5",
    "'x'", "''", "'k'", "None", "true", "false", "[]", "(1, 2)",
])
BINARY = ["+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", ">", ">=", "in", "not in",
          "and", "or"]


def _compose(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(children, st.sampled_from(BINARY), children)
    return st.one_of(
        pair.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda c: f"(not {c})"),
        children.map(lambda c: f"(-{c})"),
        st.tuples(children, st.sampled_from(["k", "i", "id", "keys", "__class__", "x"]))
        .map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.lists(children, max_size=3).map(lambda cs: f"[{', '.join(cs)}]"),
        st.lists(children, min_size=2, max_size=3).map(lambda cs: f"({', '.join(cs)})"),
        st.tuples(children, st.sampled_from(["<", "=="]), children, st.sampled_from(["<=", "!="]),
                  children).map(lambda t: f"({t[0]} {t[1]} {t[2]} {t[3]} {t[4]})"),
    )


EXPRESSIONS = st.recursive(LEAVES, _compose, max_leaves=6)


def _described(value: Any) -> Any:
    """A value, or an undefined as its type and name (the name may itself be an undefined:
    `vars.i[nothing]`; a list may hold one), comparable without touching an undefined's strict
    operators."""
    if isinstance(value, Undefined):
        return "undefined", type(value).__name__, _described(value._undefined_name)  # noqa: SLF001
    if type(value) in (list, tuple):  # `[nothing]` holds an undefined
        return "value", type(value).__name__, [_described(item) for item in value]
    return "value", type(value).__name__, value


def _outcome(call: Any) -> tuple[Any, ...]:
    try:
        value = call()
    except Exception as exc:  # the very class and message are what must match
        return "error", type(exc).__name__, str(exc)
    return _described(value)


@BUDGET
@given(EXPRESSIONS)
@example("(not ([vars.i, nothing] == [vars.i, nothing]))")  # found by this test: one undefined reused
def test_direct_agrees_with_jinja_on_generated_expressions(expr: str) -> None:
    direct = compile_direct(ENV, expr)
    assert direct is not None, f"{expr} should take the direct path"
    assert _outcome(lambda: direct(SCOPE)) == _outcome(lambda: _jinja(expr)(**SCOPE)), expr
