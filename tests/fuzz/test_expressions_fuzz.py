"""Fuzzing templates and `when:` expressions: compiling gives a renderer or an
ExpressionProblem; rendering gives a value or one of the errors the engine turns into the
step's BusinessError (`rpa.engine.step.render_args`) — never anything else, and never a
template that runs past the sandbox's limits."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from jinja2 import TemplateError
from jinja2.exceptions import SecurityError

from rpa.flow.expressions import ExpressionProblem, compile_value, scope_globals

ROUTED = (TemplateError, TypeError, ValueError, ArithmeticError, LookupError)  # as render_args catches
SCOPE = {**scope_globals(), "vars": {"x": "q", "n": 7, "rows": [1, 2, 3], "d": {"k": "v"}},
         "inputs": {}, "secrets": {"s": "hunter2"}, "item": None, "run": {"id": "r"}}
TOKENS = ["{{", "}}", "{%", "%}", " ", "for", "in", "endfor", "if", "else", "endif", "set", "=",
          "range(", ")", "(", "[", "]", ",", "vars.x", "vars.n", "vars.rows", "vars.d", "secrets.s",
          "1", "9", "99999", "10**9", "*", "**", "+", "~", "-", "/", "//", "%", "|", "length", "list",
          "join", "upper", "namespace(", "ns.s", "ns", "dict(", "'a'", '"b"', ".__class__", "._", "loop",
          "lipsum", "cycler", ".mro()", "attr(", "map(", "select(", "format", "e", "x", "i"]


def compile_and_render(template: str) -> None:
    try:
        render = compile_value(template, frozenset())
    except ExpressionProblem:
        return
    try:
        render(SCOPE)
    except SecurityError:  # a TemplateError: the sandbox said no
        return
    except ROUTED:
        return


@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
@example("{{ ''.__class__.__mro__ }}")
@example("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}")
@example("{{ 'x' * 10**9 }}")
@example("{{ 0, }}")
@example("{{ vars.x | lines }}\n")
def test_fuzz_token_soup_renders_or_fails_as_a_routed_error(template: str) -> None:
    compile_and_render(template)


@given(st.text(max_size=80))
def test_fuzz_any_text_as_a_template_renders_or_fails_as_a_routed_error(text: str) -> None:
    compile_and_render(text)
    compile_and_render("{{ " + text + " }}")


def test_expression_that_parses_only_as_a_template_is_an_expression_problem() -> None:
    """Found by the long fuzz run: `{{ 0, }}` made compile_value raise TemplateSyntaxError."""
    with pytest.raises(ExpressionProblem, match="does not compile"):
        compile_value("{{ 0, }}")


def test_template_with_an_unknown_filter_is_an_expression_problem() -> None:
    """Found by the long fuzz run (a shipped flow with `| join` edited to `| lines`): an unknown
    filter raised TemplateAssertionError from compile_value when the text was not one expression."""
    with pytest.raises(ExpressionProblem, match="No filter named 'lines'"):
        compile_value("{{ vars.x | lines }}\n")
