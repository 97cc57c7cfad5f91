"""The flow's transitions machine: declared moves happen, undeclared ones raise."""

from __future__ import annotations

import pytest

from rpa.engine.machine import FlowMachine
from rpa.errors import RunError
from rpa.flow import compile_flow, load_flow_text

FLOW = """
flow: edges
states:
  a:
    do: [{activity: set, with: {x: 1}}]
    on: [{when: "vars.x > 0", goto: b}]
    next: c
  b: {final: success}
  c: {final: failure}
"""


def _machine() -> FlowMachine:
    flow, source = load_flow_text(FLOW, "edges.yaml")
    return FlowMachine(compile_flow(flow, source))


def test_machine_edges_are_the_flows_declared_targets() -> None:
    assert _machine().edges == {("a", "b"), ("a", "c")}


def test_machine_move_along_a_declared_edge_sets_the_state() -> None:
    machine = _machine()
    model = machine.attach("a")
    machine.move(model, "c")
    assert model.state == "c"


def test_machine_move_along_an_undeclared_edge_raises_and_stays() -> None:
    machine = _machine()
    model = machine.attach("b")
    with pytest.raises(RunError, match="no transition from 'b' to 'a'"):
        machine.move(model, "a")
    assert model.state == "b"
