"""Template limits: a template that would loop for ever or build a huge value is refused with
one line naming the setting, before it allocates; ordinary templates are untouched."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rpa.engine import Runner
from rpa.flow import CompiledFlow
from rpa.flow.expressions import TemplateLimit, compile_value, scope_globals
from rpa.store import RunStore

SCOPE = {**scope_globals(), "vars": {"rows": [1, 2, 3], "x": "q"}}


def render(template: str) -> object:
    return compile_value(template)(SCOPE)


@pytest.mark.parametrize(("template", "setting"), [
    ("{{ 'x' * 10**9 }}", "MAX_OUTPUT"),
    ("{{ vars.rows * 100000000 }}", "MAX_OUTPUT"),
    ("{{ 2 ** 100000000 }}", "MAX_OUTPUT"),
    ("{% set ns = namespace(s='xx') %}{% for i in range(80) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}.", "MAX_OUTPUT"),
    ("{% set ns = namespace(s='xx') %}{% for i in range(80) %}{% set ns.s = ns.s + ns.s %}{% endfor %}.", "MAX_OUTPUT"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}.", "MAX_RANGE"),
    ("{% for r in vars.rows %}{% for i in range(50000) %}{% endfor %}{% endfor %}.", "MAX_RANGE"),
    ("{{ range(10**7) | list | length }}", "MAX_RANGE"),
    ("{% for i in range(2000) %}{{ 'y' * 1000 }}{% endfor %}", "MAX_OUTPUT"),
])
def test_template_over_a_limit_is_refused_naming_the_setting(template: str, setting: str) -> None:
    with pytest.raises(TemplateLimit, match=f"SMARTLAB_TEMPLATE_{setting}"):
        render(template)


@pytest.mark.parametrize(("template", "value"), [
    ("{{ [1, 2] * 3 }}", [1, 2, 1, 2, 1, 2]),
    ("{{ 'a' ~ vars.x ~ 3 }}", "aq3"),
    ("{{ [vars.x ~ vars.x] }}", ["qq"]),
    ("{% for i in range(3) %}{{ i }}{% endfor %}", "012"),
    ("{{ 2 ** 10 + 1 }}", 1025),
    ("{{ (vars.rows * 1000) | length }}", 3000),
])
def test_template_within_the_limits_renders_as_before(template: str, value: object) -> None:
    assert render(template) == value


def test_template_budget_is_per_rendering_not_per_process() -> None:
    template = compile_value("{% for i in range(60000) %}{% endfor %}ok")
    assert [template(SCOPE) for _ in range(3)] == ["ok", "ok", "ok"]


def test_template_limit_follows_its_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_TEMPLATE_MAX_RANGE", "10")
    with pytest.raises(TemplateLimit, match="more than 10 loop iterations"):
        render("{% for i in range(11) %}{% endfor %}")


BOMB = """
flow: bomb
states:
  a:
    do:
      - {activity: set, with: {x: "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"}}
    catch: [{error: BusinessError, goto: refused, as: problem}]
    next: done
  done: {final: success}
  refused: {final: business_exception}
"""


def test_flow_with_a_loop_bomb_ends_in_a_business_error(store: RunStore,
                                                        compiled: Callable[[str], CompiledFlow]) -> None:
    result = Runner(store).start(compiled(BOMB))
    assert result.status == "business_exception"
    assert "SMARTLAB_TEMPLATE_MAX_RANGE" in result.vars["problem"]["message"]
