"""Broken flows are reported as path:line:col with a message a flow author can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpa.errors import FlowError, FlowErrors
from rpa.flow import compile_flow, load_flow, load_flow_text

BROKEN = Path(__file__).parent / "broken"


def _errors(path: Path) -> list[FlowError]:
    try:
        flow, source = load_flow(path)
        compile_flow(flow, source)
    except FlowErrors as exc:
        return exc.errors
    except FlowError as exc:
        return [exc]
    return []


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("yaml_syntax.yaml", 6, "YAML syntax error"),
        ("unknown_activity.yaml", 7, "unknown activity 'files.glb' (did you mean 'files.glob'?)"),
        ("mistyped_parameter.yaml", 8, "parameter 'timeout' expects float"),
        ("missing_state.yaml", 8, "'finsh' is not a state"),
        ("unreachable_state.yaml", 8, "state 'orphan' is unreachable"),
        ("bad_expression.yaml", 8, "expression does not compile"),
    ],
)
def test_broken_flow_reports_line_and_reason(name: str, line: int, words: str) -> None:
    errors = _errors(BROKEN / name)
    assert len(errors) == 1, errors
    assert errors[0].location.path.endswith(name)
    assert errors[0].location.line == line
    assert words in errors[0].message


def _messages(text: str) -> list[str]:
    try:
        flow, source = load_flow_text(text, "t.yaml")
        compile_flow(flow, source)
    except FlowErrors as exc:
        return [str(e) for e in exc.errors]
    except FlowError as exc:
        return [str(exc)]
    return []


def test_validation_reports_every_error_not_just_the_first() -> None:
    text = """\
flow: many
states:
  a:
    do:
      - activity: nope
      - activity: set
        with: {x: "{{ nosuch.thing }}"}
    next: missing
  b: {final: success}
"""
    messages = _messages(text)
    assert [m.split(":")[1] for m in messages] == ["2", "5", "7", "8", "9"]
    assert "no final state is reachable" in messages[0]
    assert "unknown variable 'nosuch'" in messages[2]


def test_unknown_field_points_at_key_with_suggestion() -> None:
    messages = _messages("flow: f\nstates:\n  a:\n    nxt: b\n  b: {final: success}\n")
    assert messages[0] == "t.yaml:4:5: states.a: unknown field 'nxt' (did you mean 'next'?)"


def test_undeclared_input_is_an_error() -> None:
    text = ("flow: f\nstates:\n  a:\n    do:\n      - activity: log\n"
            "        with: {message: '{{ inputs.who }}'}\n    next: b\n  b: {final: success}\n")
    assert "'inputs.who' is not declared" in _messages(text)[0]


def test_missing_required_parameter_is_an_error() -> None:
    text = "flow: f\nstates:\n  a:\n    do:\n      - activity: files.read\n    next: b\n  b: {final: success}\n"
    assert "files.read needs parameter 'path'" in _messages(text)[0]


def test_on_key_is_not_a_boolean() -> None:
    text = "flow: f\nstates:\n  a:\n    on:\n      - {when: 'true', goto: b}\n    next: b\n  b: {final: success}\n"
    assert _messages(text) == []


def test_duplicate_key_is_reported() -> None:
    text = "flow: f\nstates:\n  a: {next: b}\n  a: {next: b}\n  b: {final: success}\n"
    assert _messages(text) == ["t.yaml:4:3: duplicate key 'a'"]


def test_final_state_with_steps_is_rejected() -> None:
    text = "flow: f\nstates:\n  a: {next: b}\n  b:\n    final: success\n    next: a\n"
    assert "a final state cannot have" in _messages(text)[0]


def test_state_without_next_or_final_is_rejected() -> None:
    text = "flow: f\nstates:\n  a:\n    do: [{activity: log, with: {message: x}}]\n  b: {final: success}\n"
    messages = _messages(text)
    assert any("state 'a' has no 'next:'" in m for m in messages)


def test_not_a_mapping_is_rejected() -> None:
    assert "must be a mapping" in _messages("- just\n- a list\n")[0]


def test_bad_duration_is_reported_on_its_line() -> None:
    text = "flow: f\nstates:\n  a:\n    timeout: soon\n    next: b\n  b: {final: success}\n"
    assert _messages(text)[0].startswith("t.yaml:4:14: states.a.timeout: 'soon' is not a duration")


def test_unknown_package_in_uses_is_reported() -> None:
    text = "flow: f\nuses: [no_such_package_xyz]\nstates:\n  a: {next: b}\n  b: {final: success}\n"
    assert _messages(text)[0].startswith("t.yaml:2:8: package 'no_such_package_xyz' cannot be imported")


def test_shipped_flows_all_validate() -> None:
    root = Path(__file__).parents[3] / "flows"
    flows = [p for p in root.rglob("*.yaml") if "tours" not in p.parts]
    assert flows, "no shipped flows found"
    for path in flows:
        assert _errors(path) == [], path
